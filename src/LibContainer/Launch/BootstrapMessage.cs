namespace LibContainer.Launch;

/// <summary>
/// The payload of the bootstrap frame (see protocol.h): the namespaces init
/// joins and creates. It is sent as soon as the config is valid, so init makes
/// them while create makes the cgroup.
/// </summary>
public sealed record BootstrapMessage(int CloneFlags, IReadOnlyList<(int Type, string Path)> JoinPaths)
{
    public byte[] Encode()
    {
        var buffer = new List<byte>();
        BootstrapAttributes.Add(buffer, BootstrapAttributes.CloneFlags, BitConverter.GetBytes(CloneFlags));
        foreach (var (type, path) in JoinPaths)
            BootstrapAttributes.Add(buffer, BootstrapAttributes.NsPath, [.. BitConverter.GetBytes(type), .. System.Text.Encoding.UTF8.GetBytes(path)]);
        return buffer.ToArray();
    }

    /// <summary>New namespaces to create and existing ones to join, from linux.namespaces.</summary>
    public static BootstrapMessage From(Spec.RuntimeSpec spec)
    {
        var flags = 0;
        var join = new List<(int, string)>();
        foreach (var ns in spec.Linux?.Namespaces ?? [])
        {
            var flag = Kernel.NamespaceTypes.CloneFlags[ns.Type!];
            if (string.IsNullOrEmpty(ns.Path)) flags |= flag;
            else join.Add((flag, ns.Path));
        }
        return new BootstrapMessage(flags, join);
    }
}
