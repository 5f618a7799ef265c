using LibContainer.Interop;
using LibContainer.Spec;

namespace LibContainer.Kernel;

/// <summary>
/// linux.memoryPolicy: the NUMA memory policy the process starts with,
/// set_mempolicy(2) just before it starts (create's and exec's), as runc 1.3:
/// a mode, its flags, and the nodes it applies to.
/// </summary>
public sealed record MemoryPolicyPlan(int ModeAndFlags, IReadOnlyList<int> Nodes)
{
    // The mask set_mempolicy reads: 1024 nodes, as runc passes (a CPU set's size).
    private const int MaskBits = 1024;

    private static readonly Dictionary<string, int> Modes = new()
    {
        ["MPOL_DEFAULT"] = 0, ["MPOL_PREFERRED"] = 1, ["MPOL_BIND"] = 2, ["MPOL_INTERLEAVE"] = 3,
        ["MPOL_LOCAL"] = 4, ["MPOL_PREFERRED_MANY"] = 5, ["MPOL_WEIGHTED_INTERLEAVE"] = 6,
    };

    private static readonly Dictionary<string, int> Flags = new()
    {
        ["MPOL_F_NUMA_BALANCING"] = 1 << 13, ["MPOL_F_RELATIVE_NODES"] = 1 << 14, ["MPOL_F_STATIC_NODES"] = 1 << 15,
    };

    /// <summary>The modes and flags this runtime knows (the features document lists them).</summary>
    public static IEnumerable<string> ModeNames => Modes.Keys;

    public static IEnumerable<string> FlagNames => Flags.Keys;

    /// <summary>The plan for a config's policy (null: none), or the problems with it by field.</summary>
    public static MemoryPolicyPlan? For(Spec.MemoryPolicy? policy, Action<string, string>? problem = null)
    {
        if (policy is null) return null;
        problem ??= (field, message) => throw new ContainerError($"{field}: {message}");
        const string field = "linux.memoryPolicy";
        var ok = true;
        void Problem(string where, string message) { ok = false; problem(where, message); }

        if (policy.Mode is null || !Modes.TryGetValue(policy.Mode, out var mode))
        {
            Problem($"{field}.mode", $"unknown mode {ValueText.Quoted(policy.Mode)}: one of {string.Join(", ", Modes.Keys)}");
            mode = 0;
        }
        var value = mode;
        foreach (var flag in policy.Flags ?? [])
        {
            if (Flags.TryGetValue(flag, out var bit)) value |= bit;
            else Problem($"{field}.flags", $"unknown flag {ValueText.Quoted(flag)}: one of {string.Join(", ", Flags.Keys)}");
        }
        var nodes = new List<int>();
        if (!string.IsNullOrEmpty(policy.Nodes) && !NumberList.TryParse(policy.Nodes, MaskBits, nodes))
            Problem($"{field}.nodes", $"{ValueText.Quoted(policy.Nodes)} is not a list of NUMA nodes such as \"0-3,7\" (below {MaskBits})");
        // runc's rules: default and local take no node, bind, interleave and preferred-many at least one.
        if (ok && mode is 0 or 4 && nodes.Count > 0)
            Problem($"{field}.nodes", $"{policy.Mode} takes no nodes");
        if (ok && mode is 2 or 3 or 5 or 6 && nodes.Count == 0)
            Problem($"{field}.nodes", $"{policy.Mode} needs at least one node");
        return ok ? new MemoryPolicyPlan(value, nodes) : null;
    }

    /// <summary>set_mempolicy(mode | flags, the nodes' mask).</summary>
    public unsafe void Apply()
    {
        var mask = stackalloc ulong[MaskBits / 64];
        foreach (var node in Nodes) mask[node / 64] |= 1UL << (node % 64);
        // maxnode counts one past the last bit the kernel reads.
        if (LibC.syscall(Sys.set_mempolicy, ModeAndFlags, (long)mask, MaskBits + 1, 0, 0) < 0)
            throw ContainerError.FromErrno("set_mempolicy (linux.memoryPolicy)", Syscall.LastErrno);
    }
}
