using LibContainer.Spec;

namespace LibContainer.UserNamespace;

/// <summary>
/// linux.uidMappings and gidMappings as the kernel takes them: the text of
/// /proc/PID/uid_map and gid_map, one "container host size" line per mapping,
/// written in one write(2) of less than a page.
/// </summary>
public static class IdMaps
{
    /// <summary>The kernel refuses a map text of a page (4096 bytes) or more.</summary>
    public const int MaxTextBytes = 4095;

    public static string Text(IReadOnlyList<IdMapping> mappings)
    {
        var text = new System.Text.StringBuilder();
        foreach (var m in mappings) text.Append($"{m.ContainerId} {m.HostId} {m.Size}\n");
        return text.ToString();
    }

    /// <summary>The host ID that container ID `id` maps to, or null when no mapping holds it.</summary>
    public static uint? HostIdOf(IReadOnlyList<IdMapping> mappings, uint id)
    {
        foreach (var m in mappings)
            if (id >= m.ContainerId && (ulong)id < (ulong)m.ContainerId + m.Size) return m.HostId + (id - m.ContainerId);
        return null;
    }

    /// <summary>
    /// What the kernel would refuse in one list of mappings, as messages:
    /// an empty range, a range past 2^32-1, ranges that overlap on either side,
    /// a text too long for one write.
    /// </summary>
    public static List<(int? Index, string Message)> Problems(IReadOnlyList<IdMapping> mappings)
    {
        var problems = new List<(int?, string)>();
        for (var i = 0; i < mappings.Count; i++)
        {
            var m = mappings[i];
            if (m.Size == 0)
            {
                problems.Add((i, "size must be at least 1"));
                continue;
            }
            if ((ulong)m.ContainerId + m.Size > 1UL << 32 || (ulong)m.HostId + m.Size > 1UL << 32)
                problems.Add((i, $"the range of {m.Size} IDs from containerID {m.ContainerId} or hostID {m.HostId} goes past 4294967295"));
            for (var j = 0; j < i; j++)
            {
                var o = mappings[j];
                if (o.Size == 0) continue;
                if (Overlap(m.ContainerId, o.ContainerId, m.Size, o.Size))
                    problems.Add((i, $"containerID range overlaps that of entry {j}"));
                if (Overlap(m.HostId, o.HostId, m.Size, o.Size))
                    problems.Add((i, $"hostID range overlaps that of entry {j}"));
            }
        }
        var bytes = Text(mappings).Length;
        if (bytes > MaxTextBytes)
            problems.Add((null, $"{mappings.Count} mappings make {bytes} bytes of map text; the kernel takes at most {MaxTextBytes}"));
        return problems;
    }

    private static bool Overlap(uint a, uint b, uint sizeA, uint sizeB) =>
        (ulong)a < (ulong)b + sizeB && (ulong)b < (ulong)a + sizeA;
}
