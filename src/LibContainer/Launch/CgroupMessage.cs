using LibContainer.Cgroups;

namespace LibContainer.Launch;

/// <summary>
/// The payload of the cgroup frame (see protocol.h): the v1 "tasks" files the
/// C stage writes itself into, and the v2 directory it forks init into.
/// </summary>
public sealed record CgroupMessage(IReadOnlyList<string> TaskFiles, string? V2Directory)
{
    public byte[] Encode()
    {
        var buffer = new List<byte>();
        foreach (var tasks in TaskFiles)
            BootstrapAttributes.Add(buffer, BootstrapAttributes.CgroupTasks, System.Text.Encoding.UTF8.GetBytes(tasks));
        if (V2Directory is { } v2)
            BootstrapAttributes.Add(buffer, BootstrapAttributes.CgroupV2Dir, System.Text.Encoding.UTF8.GetBytes(v2));
        return buffer.ToArray();
    }

    public static CgroupMessage From(CgroupPlacement placement) => new(placement.V1TaskFiles, placement.V2Directory);
}
