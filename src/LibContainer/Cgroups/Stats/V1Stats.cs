using static LibContainer.Cgroups.Stats.CgroupValues;

namespace LibContainer.Cgroups.Stats;

/// <summary>
/// A container's stats from its cgroup v1 hierarchies, read as runc reads
/// them. On a hybrid host a controller that only the unified hierarchy has
/// (hugetlb here) is read from there with the v2 reader.
/// </summary>
internal static class V1Stats
{
    // cpuacct.stat counts in USER_HZ, which Linux fixes at 100 for user space.
    private const ulong NanosecondsPerTick = 1_000_000_000 / 100;

    public static CgroupStats Read(IReadOnlyDictionary<string, string> paths, ICgroupFiles files)
    {
        var unified = paths.GetValueOrDefault("");
        return new CgroupStats
        {
            Cpu = Cpu(V1Controllers.DirOf(paths, "cpu"), V1Controllers.DirOf(paths, "cpuacct"), files),
            Cpuset = V1Controllers.DirOf(paths, "cpuset") is { } cpuset ? Cpuset(cpuset, files) : null,
            Memory = V1Controllers.DirOf(paths, "memory") is { } memory ? Memory(memory, files) : null,
            Pids = V1Controllers.DirOf(paths, "pids") is { } pids ? Pids(pids, files) : null,
            Blkio = V1Controllers.DirOf(paths, "blkio") is { } blkio ? Blkio(blkio, files) : null,
            Hugetlb = V1Controllers.DirOf(paths, "hugetlb") is { } hugetlb ? Hugetlb(hugetlb, files)
                : unified is not null ? V2Stats.Hugetlb(unified, files) : null,
        };
    }

    /// <summary>memory.oom_control's oom_kill (Linux 4.13 and later); 0 without a memory controller.</summary>
    public static ulong OomKillCount(IReadOnlyDictionary<string, string> paths, ICgroupFiles files) =>
        V1Controllers.DirOf(paths, "memory") is { } dir && ReadKeyValues(files, dir, "memory.oom_control") is { } pairs ? ValueOf(pairs, "oom_kill") : 0;

    public static CpuStats? Cpu(string? cpuDir, string? cpuacctDir, ICgroupFiles files)
    {
        var throttling = cpuDir is not null && ReadKeyValues(files, cpuDir, "cpu.stat") is { } stat
            ? new CpuThrottling(ValueOf(stat, "nr_periods"), ValueOf(stat, "nr_throttled"), ValueOf(stat, "throttled_time"))
            : null;
        var usage = cpuacctDir is not null ? ReadCpuUsage(cpuacctDir, files) : null;
        if (throttling is null && usage is null) return null;
        return new CpuStats(usage ?? CpuUsage.None, throttling ?? CpuThrottling.None);
    }

    private static CpuUsage? ReadCpuUsage(string dir, ICgroupFiles files)
    {
        if (ReadUint(files, dir, "cpuacct.usage") is not { } total) return null;
        // "user TICKS\nsystem TICKS"
        var modes = ReadKeyValues(files, dir, "cpuacct.stat") ?? [];
        var perCpu = files.Read(Path.Combine(dir, "cpuacct.usage_percpu")) is { } text ? ParseList(text) : [];
        var (perCpuKernel, perCpuUser) = PerCpuModes(files.Read(Path.Combine(dir, "cpuacct.usage_all")));
        return new CpuUsage(total, perCpu, perCpuKernel, perCpuUser,
            Kernel: ValueOf(modes, "system") * NanosecondsPerTick, User: ValueOf(modes, "user") * NanosecondsPerTick);
    }

    /// <summary>cpuacct.usage_all: a header "cpu user system", then "CPU USER SYSTEM" per CPU, in ns.</summary>
    public static (List<ulong> Kernel, List<ulong> User) PerCpuModes(string? usageAll)
    {
        List<ulong> kernel = [], user = [];
        if (usageAll is null) return (kernel, user);
        foreach (var line in usageAll.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 3 && ParseUint(fields[1]) is { } u && ParseUint(fields[2]) is { } s)
            {
                user.Add(u);
                kernel.Add(s);
            }
        }
        return (kernel, user);
    }

    public static CpusetStats Cpuset(string dir, ICgroupFiles files)
    {
        ulong Value(string file) => ReadUint(files, dir, file) ?? 0;
        return new CpusetStats(
            Cpus: CpuList(files.Read(Path.Combine(dir, "cpuset.cpus"))), CpuExclusive: Value("cpuset.cpu_exclusive"),
            Mems: CpuList(files.Read(Path.Combine(dir, "cpuset.mems"))), MemHardwall: Value("cpuset.mem_hardwall"),
            MemExclusive: Value("cpuset.mem_exclusive"), MemoryMigrate: Value("cpuset.memory_migrate"),
            MemorySpreadPage: Value("cpuset.memory_spread_page"), MemorySpreadSlab: Value("cpuset.memory_spread_slab"),
            MemoryPressure: Value("cpuset.memory_pressure"), SchedLoadBalance: Value("cpuset.sched_load_balance"),
            SchedRelaxDomainLevel: files.Read(Path.Combine(dir, "cpuset.sched_relax_domain_level")) is { } level ? ParseInt(level) ?? 0 : 0);
    }

    /// <summary>A cpuset list such as "0-3,7" expanded to 0,1,2,3,7; what does not parse is left out.</summary>
    public static List<ushort> CpuList(string? text)
    {
        var list = new List<ushort>();
        foreach (var part in (text ?? "").Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Split('-');
            if (range.Length == 1 && ushort.TryParse(range[0], out var one)) list.Add(one);
            else if (range.Length == 2 && ushort.TryParse(range[0], out var from) && ushort.TryParse(range[1], out var to) && from <= to)
                for (int i = from; i <= to; i++) list.Add((ushort)i);
        }
        return list;
    }

    /// <summary>Null when memory.stat is missing: the memory controller is not there.</summary>
    public static MemoryStats? Memory(string dir, ICgroupFiles files)
    {
        if (ReadKeyValues(files, dir, "memory.stat") is not { } stat) return null;
        var raw = new Dictionary<string, ulong>();
        foreach (var (key, value) in stat) raw[key] = value;
        return new MemoryStats(
            Cache: raw.GetValueOrDefault("cache"),
            Usage: Entry(files, dir, "memory") ?? new MemoryEntry(0, 0, 0, 0),
            Swap: Entry(files, dir, "memory.memsw"), // memory and swap together; missing without swap accounting
            Kernel: Entry(files, dir, "memory.kmem"),
            KernelTcp: Entry(files, dir, "memory.kmem.tcp"),
            Raw: raw);
    }

    // PREFIX.usage_in_bytes, .max_usage_in_bytes, .failcnt and .limit_in_bytes; null when the usage file is missing.
    private static MemoryEntry? Entry(ICgroupFiles files, string dir, string prefix)
    {
        if (ReadUint(files, dir, prefix + ".usage_in_bytes") is not { } usage) return null;
        return new MemoryEntry(
            Limit: ReadUint(files, dir, prefix + ".limit_in_bytes") ?? 0, Usage: usage,
            Max: ReadUint(files, dir, prefix + ".max_usage_in_bytes") ?? 0, Failcnt: ReadUint(files, dir, prefix + ".failcnt") ?? 0);
    }

    public static PidsStats? Pids(string dir, ICgroupFiles files)
    {
        if (ReadUint(files, dir, "pids.current") is not { } current) return null;
        var limit = ReadUint(files, dir, "pids.max") ?? 0;
        return new PidsStats(current, limit == ulong.MaxValue ? 0 : limit); // "max" is no limit, which runc reports as 0
    }

    public static Dictionary<string, HugetlbStats> Hugetlb(string dir, ICgroupFiles files)
    {
        var stats = new Dictionary<string, HugetlbStats>();
        foreach (var size in HugePageSizes(files, dir, "usage_in_bytes"))
        {
            var prefix = $"hugetlb.{size}.";
            stats[size] = new HugetlbStats(
                ReadUint(files, dir, prefix + "usage_in_bytes") ?? 0, ReadUint(files, dir, prefix + "max_usage_in_bytes") ?? 0,
                ReadUint(files, dir, prefix + "failcnt") ?? 0);
        }
        return stats;
    }

    public static BlkioStats Blkio(string dir, ICgroupFiles files) => V1Blkio.Read(dir, files);
}
