namespace LibContainer.Kernel;

/// <summary>The namespace types of linux.namespaces and the clone(2) flag that makes each.</summary>
public static class NamespaceTypes
{
    public static readonly IReadOnlyDictionary<string, int> CloneFlags = new Dictionary<string, int>
    {
        ["pid"] = Interop.Clone.NEWPID,
        ["network"] = Interop.Clone.NEWNET,
        ["mount"] = Interop.Clone.NEWNS,
        ["ipc"] = Interop.Clone.NEWIPC,
        ["uts"] = Interop.Clone.NEWUTS,
        ["user"] = Interop.Clone.NEWUSER,
        ["cgroup"] = Interop.Clone.NEWCGROUP,
        ["time"] = Interop.Clone.NEWTIME,
    };
}
