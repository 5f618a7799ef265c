using LibContainer.Spec;

namespace LibContainer.Validation;

/// <summary>
/// linux.sysctl: a sysctl is only safe to set if it belongs to a namespace
/// the container has of its own; anything else would change the host.
/// </summary>
internal sealed class SysctlRule : IRule
{
    private static readonly HashSet<string> IpcSysctls =
        ["kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"];

    public void Check(RuntimeSpec spec, ProblemList problems)
    {
        if (spec.Linux is not { } linux) return;
        // A namespace the container creates or joins by path is not the runtime's own (the host's).
        var own = new HashSet<string?>();
        foreach (var n in linux.Namespaces ?? []) own.Add(n.Type);
        foreach (var key in (linux.Sysctl ?? []).Keys)
        {
            var where = $"linux.sysctl[{ValueText.Quoted(key)}]";
            string? needs = key switch
            {
                _ when IpcSysctls.Contains(key) || key.StartsWith("fs.mqueue.", StringComparison.Ordinal) => "ipc",
                _ when key.StartsWith("net.", StringComparison.Ordinal) => "network",
                "kernel.hostname" or "kernel.domainname" => "uts",
                _ => null,
            };
            if (needs is null) problems.Add(where, "not in a kernel namespace the container can have: setting it would change the host");
            else if (!own.Contains(needs))
                problems.Add(where, $"needs a {needs} namespace of the container's own in linux.namespaces");
        }
    }
}
