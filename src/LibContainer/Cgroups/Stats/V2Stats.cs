using static LibContainer.Cgroups.Stats.CgroupValues;

namespace LibContainer.Cgroups.Stats;

/// <summary>
/// A container's stats from its cgroup v2 directory, in runc's units and
/// shapes (so v2 reads like v1): microseconds become nanoseconds, io.stat
/// fills the blkio lists, and swap counts memory and swap together.
/// </summary>
internal static class V2Stats
{
    public static CgroupStats Read(string dir, ICgroupFiles files) => new()
    {
        Cpu = Cpu(dir, files),
        Memory = Memory(dir, files),
        Pids = Pids(dir, files),
        Blkio = Io(dir, files),
        Hugetlb = Hugetlb(dir, files),
    };

    /// <summary>memory.events' oom_kill; 0 without the memory controller.</summary>
    public static ulong OomKillCount(string dir, ICgroupFiles files) =>
        ReadKeyValues(files, dir, "memory.events") is { } events ? ValueOf(events, "oom_kill") : 0;

    /// <summary>cpu.stat, which every v2 cgroup has (its throttling lines only with the cpu controller).</summary>
    public static CpuStats? Cpu(string dir, ICgroupFiles files)
    {
        if (ReadKeyValues(files, dir, "cpu.stat") is not { } stat) return null;
        const ulong ns = 1000; // per microsecond
        return new CpuStats(
            new CpuUsage(ValueOf(stat, "usage_usec") * ns, [], [], [], Kernel: ValueOf(stat, "system_usec") * ns, User: ValueOf(stat, "user_usec") * ns),
            new CpuThrottling(ValueOf(stat, "nr_periods"), ValueOf(stat, "nr_throttled"), ValueOf(stat, "throttled_usec") * ns));
    }

    /// <summary>Null when memory.stat is missing: the memory controller is not enabled for the cgroup.</summary>
    public static MemoryStats? Memory(string dir, ICgroupFiles files)
    {
        if (ReadKeyValues(files, dir, "memory.stat") is not { } stat) return null;
        var raw = new Dictionary<string, ulong>();
        foreach (var (key, value) in stat) raw[key] = value;
        var usage = new MemoryEntry(
            Limit: ReadUint(files, dir, "memory.max") ?? 0, Usage: ReadUint(files, dir, "memory.current") ?? 0,
            Max: ReadUint(files, dir, "memory.peak") ?? 0, Failcnt: 0); // memory.peak since Linux 5.19
        return new MemoryStats(Cache: raw.GetValueOrDefault("file"), usage, Swap(dir, files, usage), Kernel: null, KernelTcp: null, raw);
    }

    // v1 counts swap with memory (memsw); v2 apart: added up, as runc does. Null without swap accounting.
    private static MemoryEntry? Swap(string dir, ICgroupFiles files, MemoryEntry memory)
    {
        if (ReadUint(files, dir, "memory.swap.current") is not { } swap) return null;
        var limit = ReadUint(files, dir, "memory.swap.max") ?? ulong.MaxValue;
        var combined = limit == ulong.MaxValue || memory.Limit == ulong.MaxValue || limit > ulong.MaxValue - memory.Limit
            ? ulong.MaxValue : limit + memory.Limit;
        return new MemoryEntry(combined, swap + memory.Usage, Max: 0, Failcnt: 0);
    }

    /// <summary>pids.current and pids.max; without the pids controller, the processes in cgroup.procs and no limit.</summary>
    public static PidsStats? Pids(string dir, ICgroupFiles files)
    {
        if (ReadUint(files, dir, "pids.current") is { } current)
        {
            var limit = ReadUint(files, dir, "pids.max") ?? 0;
            return new PidsStats(current, limit == ulong.MaxValue ? 0 : limit);
        }
        if (files.Read(Path.Combine(dir, "cgroup.procs")) is not { } procs) return null;
        return new PidsStats((ulong)procs.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, 0);
    }

    /// <summary>io.stat's rbytes/wbytes and rios/wios per device, as v1's service bytes and serviced lists.</summary>
    public static BlkioStats? Io(string dir, ICgroupFiles files)
    {
        if (files.Read(Path.Combine(dir, "io.stat")) is not { } text) return null;
        var bytes = new List<BlkioEntry>();
        var ios = new List<BlkioEntry>();
        // "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0"
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var device = fields[0].Split(':');
            if (device.Length != 2 || !ulong.TryParse(device[0], out var major) || !ulong.TryParse(device[1], out var minor)) continue;
            for (var i = 1; i < fields.Length; i++)
            {
                var pair = fields[i].Split('=');
                if (pair.Length != 2 || ParseUint(pair[1]) is not { } value) continue;
                var (list, op) = pair[0] switch
                {
                    "rbytes" => (bytes, "Read"),
                    "wbytes" => (bytes, "Write"),
                    "rios" => (ios, "Read"),
                    "wios" => (ios, "Write"),
                    _ => (null, ""), // discards and others have no v1 list
                };
                list?.Add(new BlkioEntry(major, minor, op, value));
            }
        }
        return new BlkioStats { IoServiceBytesRecursive = bytes, IoServicedRecursive = ios };
    }

    /// <summary>hugetlb.SIZE.current and the "max" count of hugetlb.SIZE.events; null when the cgroup has no hugetlb files.</summary>
    public static Dictionary<string, HugetlbStats>? Hugetlb(string dir, ICgroupFiles files)
    {
        var sizes = HugePageSizes(files, dir, "current");
        if (sizes.Count == 0) return null;
        var stats = new Dictionary<string, HugetlbStats>();
        foreach (var size in sizes)
        {
            var events = ReadKeyValues(files, dir, $"hugetlb.{size}.events") ?? [];
            stats[size] = new HugetlbStats(ReadUint(files, dir, $"hugetlb.{size}.current") ?? 0, Max: 0, Failcnt: ValueOf(events, "max"));
        }
        return stats;
    }
}
