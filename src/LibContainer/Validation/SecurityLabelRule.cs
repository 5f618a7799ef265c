using LibContainer.Spec;

namespace LibContainer.Validation;

/// <summary>Which Linux security modules the host has enabled; read only when a config asks for one.</summary>
internal sealed record SecurityModules(bool AppArmor, bool SeLinux)
{
    public static SecurityModules Detect() => new(
        (Interop.SmallFile.TryReadText("/sys/module/apparmor/parameters/enabled") ?? "").Trim() == "Y",
        File.Exists("/sys/fs/selinux/enforce"));
}

/// <summary>
/// process.apparmorProfile, process.selinuxLabel and linux.mountLabel. On a
/// host without the module, as runc: an error, since the profile or label
/// cannot be applied; where it is enabled, init applies them (SecurityLabels).
/// </summary>
internal sealed class SecurityLabelRule(Func<SecurityModules>? detect = null) : IRule
{
    private readonly Func<SecurityModules> _detect = detect ?? SecurityModules.Detect;

    public void Check(RuntimeSpec spec, ProblemList problems)
    {
        var apparmor = spec.Process?.ApparmorProfile;
        var selinux = spec.Process?.SelinuxLabel;
        var mountLabel = spec.Linux?.MountLabel;
        if (string.IsNullOrEmpty(apparmor) && string.IsNullOrEmpty(selinux) && string.IsNullOrEmpty(mountLabel)) return;
        var host = _detect();
        if (!string.IsNullOrEmpty(apparmor))
        {
            if (!host.AppArmor) problems.Add("process.apparmorProfile", "AppArmor is not enabled on this host, so the profile cannot be applied");
        }
        foreach (var (path, value) in new[] { ("process.selinuxLabel", selinux), ("linux.mountLabel", mountLabel) })
        {
            if (string.IsNullOrEmpty(value)) continue;
            if (!host.SeLinux) problems.Add(path, "SELinux is not enabled on this host, so the label cannot be applied");
        }
    }
}
