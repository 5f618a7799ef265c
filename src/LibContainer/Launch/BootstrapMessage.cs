using LibContainer.UserNamespace;

namespace LibContainer.Launch;

/// <summary>
/// The payload of the bootstrap frame (see protocol.h): the namespaces init
/// joins and creates, and for a new user namespace the text of its uid and gid
/// maps (the parent writes them when the C stage asks). It is sent as soon as
/// the config is valid, so init makes them while create makes the cgroup.
/// </summary>
public sealed record BootstrapMessage(int CloneFlags, IReadOnlyList<(int Type, string Path)> JoinPaths, string? UidMap = null, string? GidMap = null, string? TimeOffsets = null)
{
    public byte[] Encode()
    {
        var buffer = new List<byte>();
        BootstrapAttributes.Add(buffer, BootstrapAttributes.CloneFlags, BitConverter.GetBytes(CloneFlags));
        foreach (var (type, path) in JoinPaths)
            BootstrapAttributes.Add(buffer, BootstrapAttributes.NsPath, [.. BitConverter.GetBytes(type), .. System.Text.Encoding.UTF8.GetBytes(path)]);
        if (UidMap is not null) BootstrapAttributes.Add(buffer, BootstrapAttributes.UidMap, System.Text.Encoding.ASCII.GetBytes(UidMap));
        if (GidMap is not null) BootstrapAttributes.Add(buffer, BootstrapAttributes.GidMap, System.Text.Encoding.ASCII.GetBytes(GidMap));
        if (TimeOffsets is not null) BootstrapAttributes.Add(buffer, BootstrapAttributes.TimeOffsets, System.Text.Encoding.ASCII.GetBytes(TimeOffsets));
        return buffer.ToArray();
    }

    // runc's order: the user namespace owns the others, so it is joined first; the
    // mount namespace last (the C stage joins it last anyway, after the cgroups).
    private static readonly string[] JoinOrder = ["user", "ipc", "uts", "network", "pid", "cgroup", "mount", "time"];

    /// <summary>New namespaces to create and existing ones to join (in JoinOrder), from linux.namespaces.</summary>
    public static BootstrapMessage From(Spec.RuntimeSpec spec)
    {
        var flags = 0;
        var join = new List<(int, string)>();
        var namespaces = spec.Linux?.Namespaces ?? [];
        foreach (var ns in namespaces)
            if (string.IsNullOrEmpty(ns.Path)) flags |= Kernel.NamespaceTypes.CloneFlags[ns.Type!];
        foreach (var type in JoinOrder)
            foreach (var ns in namespaces)
                if (ns.Type == type && !string.IsNullOrEmpty(ns.Path)) join.Add((Kernel.NamespaceTypes.CloneFlags[type], ns.Path));
        var user = UserNamespacePlan.For(spec);
        return new BootstrapMessage(flags, join, user.UidMap, user.GidMap, TimeOffsetsText(spec.Linux?.TimeOffsets));
    }

    /// <summary>
    /// linux.timeOffsets as /proc/self/timens_offsets takes them: a line per clock,
    /// "monotonic SECS NANOSECS" (the validator allows monotonic and boottime only).
    /// </summary>
    internal static string? TimeOffsetsText(Dictionary<string, Spec.TimeOffset>? offsets)
    {
        if (offsets is not { Count: > 0 }) return null;
        var text = new System.Text.StringBuilder();
        foreach (var clock in new[] { "monotonic", "boottime" })
            if (offsets.TryGetValue(clock, out var o))
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{clock} {o.Secs} {o.Nanosecs}\n");
        return text.ToString();
    }
}
