namespace LibContainer.Processes;

/// <summary>
/// The payload of the bootstrap frame read by the C stage (see bootstrap.h):
/// attributes of u32 type, u32 length, value padded to 4 bytes.
/// </summary>
public sealed record BootstrapMessage(int CloneFlags, IReadOnlyList<(int Type, string Path)> JoinPaths, IReadOnlyList<string> CgroupTaskFiles, string? CgroupV2Directory)
{
    private const uint AttrCloneFlags = 1, AttrNsPath = 2, AttrCgroupTasks = 5, AttrCgroupV2Dir = 6;

    public byte[] Encode()
    {
        var buffer = new List<byte>();
        foreach (var tasks in CgroupTaskFiles)
            Add(buffer, AttrCgroupTasks, System.Text.Encoding.UTF8.GetBytes(tasks));
        if (CgroupV2Directory is { } v2)
            Add(buffer, AttrCgroupV2Dir, System.Text.Encoding.UTF8.GetBytes(v2));
        Add(buffer, AttrCloneFlags, BitConverter.GetBytes(CloneFlags));
        foreach (var (type, path) in JoinPaths)
            Add(buffer, AttrNsPath, [.. BitConverter.GetBytes(type), .. System.Text.Encoding.UTF8.GetBytes(path)]);
        return buffer.ToArray();
    }

    private static void Add(List<byte> buffer, uint type, byte[] value)
    {
        buffer.AddRange(BitConverter.GetBytes(type));
        buffer.AddRange(BitConverter.GetBytes((uint)value.Length));
        buffer.AddRange(value);
        while (buffer.Count % 4 != 0) buffer.Add(0);
    }

    /// <summary>New namespaces to create and existing ones to join, from linux.namespaces.</summary>
    public static BootstrapMessage From(Spec.RuntimeSpec spec, Cgroups.CgroupPlacement placement)
    {
        var flags = 0;
        var join = new List<(int, string)>();
        foreach (var ns in spec.Linux?.Namespaces ?? [])
        {
            var flag = Spec.SpecValidator.NamespaceFlags[ns.Type!];
            if (string.IsNullOrEmpty(ns.Path)) flags |= flag;
            else join.Add((flag, ns.Path));
        }
        return new BootstrapMessage(flags, join, placement.V1TaskFiles, placement.V2Directory);
    }
}
