using static LibContainer.Cgroups.Stats.CgroupValues;

namespace LibContainer.Cgroups.Stats;

/// <summary>
/// cgroup v1 blkio: which files hold the numbers depends on the I/O scheduler
/// and the kernel. The sets are tried in runc's order (BFQ with its debug
/// files, BFQ, CFQ, the throttle files counted recursively, then the plain
/// throttle files); the first set whose first file has lines is the one read,
/// each of its files in turn until one is missing or empty.
/// </summary>
internal static class V1Blkio
{
    public enum Field { ServiceBytes, Serviced, Queued, ServiceTime, WaitTime, Merged, Time, Sectors }

    private static readonly (string File, Field Field)[] Scheduled =
    [
        ("sectors_recursive", Field.Sectors), ("io_service_time_recursive", Field.ServiceTime),
        ("io_wait_time_recursive", Field.WaitTime), ("io_merged_recursive", Field.Merged),
        ("io_queued_recursive", Field.Queued), ("time_recursive", Field.Time),
        ("io_serviced_recursive", Field.Serviced), ("io_service_bytes_recursive", Field.ServiceBytes),
    ];

    private static readonly (string File, Field Field)[][] Sets =
    [
        Prefixed("blkio.bfq.", Scheduled),
        [("blkio.bfq.io_serviced_recursive", Field.Serviced), ("blkio.bfq.io_service_bytes_recursive", Field.ServiceBytes)],
        Prefixed("blkio.", Scheduled),
        [("blkio.throttle.io_serviced_recursive", Field.Serviced), ("blkio.throttle.io_service_bytes_recursive", Field.ServiceBytes)],
        [("blkio.throttle.io_serviced", Field.Serviced), ("blkio.throttle.io_service_bytes", Field.ServiceBytes)],
    ];

    public static BlkioStats Read(string dir, ICgroupFiles files)
    {
        var lists = new Dictionary<Field, List<BlkioEntry>>();
        foreach (var set in Sets)
        {
            if (Entries(files, dir, set[0].File) is not { Count: > 0 } first) continue;
            lists[set[0].Field] = first;
            for (var i = 1; i < set.Length && Entries(files, dir, set[i].File) is { Count: > 0 } more; i++)
                lists[set[i].Field] = more;
            break;
        }
        IReadOnlyList<BlkioEntry> Of(Field f) => lists.GetValueOrDefault(f) ?? [];
        return new BlkioStats
        {
            IoServiceBytesRecursive = Of(Field.ServiceBytes), IoServicedRecursive = Of(Field.Serviced),
            IoQueuedRecursive = Of(Field.Queued), IoServiceTimeRecursive = Of(Field.ServiceTime),
            IoWaitTimeRecursive = Of(Field.WaitTime), IoMergedRecursive = Of(Field.Merged),
            IoTimeRecursive = Of(Field.Time), SectorsRecursive = Of(Field.Sectors),
        };
    }

    private static List<BlkioEntry>? Entries(ICgroupFiles files, string dir, string file) =>
        files.Read(Path.Combine(dir, file)) is { } text ? Parse(text) : null;

    /// <summary>
    /// Lines "MAJOR:MINOR OP VALUE" or "MAJOR:MINOR VALUE"; the "Total N" line
    /// and anything else that does not parse are left out.
    /// </summary>
    public static List<BlkioEntry> Parse(string text)
    {
        var entries = new List<BlkioEntry>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split([' ', ':'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length is not (3 or 4)) continue;
            if (!ulong.TryParse(fields[0], out var major) || !ulong.TryParse(fields[1], out var minor)) continue;
            var op = fields.Length == 4 ? fields[2] : "";
            if (ParseUint(fields[^1]) is { } value) entries.Add(new BlkioEntry(major, minor, op, value));
        }
        return entries;
    }

    private static (string, Field)[] Prefixed(string prefix, (string File, Field Field)[] files)
    {
        var result = new (string, Field)[files.Length];
        for (var i = 0; i < files.Length; i++) result[i] = (prefix + files[i].File, files[i].Field);
        return result;
    }
}
