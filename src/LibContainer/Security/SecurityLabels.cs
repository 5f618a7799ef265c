using LibContainer.Spec;

namespace LibContainer.Security;

/// <summary>
/// One write that labels the process for its execve: the procfs files to try
/// in order (relative to a procfs root; the first that exists is written),
/// the text, and the config field it comes from.
/// </summary>
public sealed record LabelWrite(IReadOnlyList<string> Files, string Value, string Field);

/// <summary>
/// process.apparmorProfile and process.selinuxLabel as runc applies them: both
/// take effect at the next execve (AppArmor's change_onexec, SELinux's exec
/// attribute), so init writes them just before the identity change, and the
/// process starts confined. linux.mountLabel is a `context=` option on the
/// mounts that take one. Validation refuses all three on a host without the
/// module (SecurityLabelRule), as runc does.
/// </summary>
public static class SecurityLabels
{
    public static IReadOnlyList<LabelWrite> For(Process process)
    {
        var writes = new List<LabelWrite>();
        if (!string.IsNullOrEmpty(process.ApparmorProfile))
            // The per-LSM file first (Linux 5.8, stacked LSMs), the old shared one where it is missing.
            writes.Add(new(["self/attr/apparmor/exec", "self/attr/exec"], "exec " + process.ApparmorProfile, "process.apparmorProfile"));
        if (!string.IsNullOrEmpty(process.SelinuxLabel))
            // Per thread: the thread that calls execve (init's main thread) is the one to label.
            writes.Add(new(["thread-self/attr/exec"], process.SelinuxLabel, "process.selinuxLabel"));
        return writes;
    }

    /// <summary>
    /// A mount's data with linux.mountLabel as runc's label.FormatMountLabel writes it. runc leaves
    /// it off proc, sysfs and mqueue (they take no context= option) and off binds.
    /// </summary>
    public static string WithMountLabel(string data, string? mountLabel, string fsType)
    {
        if (string.IsNullOrEmpty(mountLabel) || fsType is "proc" or "sysfs" or "mqueue" or "cgroup" or "cgroup2") return data;
        var context = $"context=\"{mountLabel}\"";
        return data.Length == 0 ? context : data + "," + context;
    }
}
