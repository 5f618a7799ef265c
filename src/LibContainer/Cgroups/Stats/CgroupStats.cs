namespace LibContainer.Cgroups.Stats;

/// <summary>
/// A container's resource usage as its cgroup files tell it, with runc's
/// units and meanings (`runc events --stats`). A controller whose files are not
/// there (not mounted, not enabled, or too old a kernel) is null.
/// </summary>
public sealed record CgroupStats
{
    public CpuStats? Cpu { get; init; }
    public CpusetStats? Cpuset { get; init; }
    public MemoryStats? Memory { get; init; }
    public PidsStats? Pids { get; init; }
    public BlkioStats? Blkio { get; init; }
    /// <summary>By page size as the kernel names it ("2MB", "1GB").</summary>
    public IReadOnlyDictionary<string, HugetlbStats>? Hugetlb { get; init; }
}

/// <summary>CPU time in nanoseconds.</summary>
public sealed record CpuStats(CpuUsage Usage, CpuThrottling Throttling);

public sealed record CpuUsage(ulong Total, IReadOnlyList<ulong> PerCpu, IReadOnlyList<ulong> PerCpuKernel, IReadOnlyList<ulong> PerCpuUser, ulong Kernel, ulong User)
{
    public static readonly CpuUsage None = new(0, [], [], [], 0, 0);
}

/// <summary>CFS quota periods, those that hit the quota, and the time (ns) spent throttled.</summary>
public sealed record CpuThrottling(ulong Periods, ulong ThrottledPeriods, ulong ThrottledTime)
{
    public static readonly CpuThrottling None = new(0, 0, 0);
}

/// <summary>A v1 cpuset's settings: the CPUs and memory nodes, expanded from "0-3,7".</summary>
public sealed record CpusetStats(
    IReadOnlyList<ushort> Cpus, ulong CpuExclusive, IReadOnlyList<ushort> Mems, ulong MemHardwall, ulong MemExclusive,
    ulong MemoryMigrate, ulong MemorySpreadPage, ulong MemorySpreadSlab, ulong MemoryPressure, ulong SchedLoadBalance,
    long SchedRelaxDomainLevel);

/// <summary>Bytes in use, the most ever used, the limit, and how often the limit was hit.</summary>
public sealed record MemoryEntry(ulong Limit, ulong Usage, ulong Max, ulong Failcnt);

/// <summary>
/// `Swap` is memory and swap together on v1 and v2 alike (runc's choice, so
/// v2 reads like v1); `Raw` is memory.stat as it is.
/// </summary>
public sealed record MemoryStats(ulong Cache, MemoryEntry Usage, MemoryEntry? Swap, MemoryEntry? Kernel, MemoryEntry? KernelTcp, IReadOnlyDictionary<string, ulong> Raw);

/// <summary>Processes in the cgroup, and the limit (0 when there is none).</summary>
public sealed record PidsStats(ulong Current, ulong Limit);

/// <summary>One line of a blkio file: device, operation ("Read", "Write", ...; "" where the file has none) and value.</summary>
public sealed record BlkioEntry(ulong Major, ulong Minor, string Op, ulong Value);

/// <summary>The v1 blkio files (v2's io.stat fills the first two), each a list of per-device lines.</summary>
public sealed record BlkioStats
{
    public IReadOnlyList<BlkioEntry> IoServiceBytesRecursive { get; init; } = [];
    public IReadOnlyList<BlkioEntry> IoServicedRecursive { get; init; } = [];
    public IReadOnlyList<BlkioEntry> IoQueuedRecursive { get; init; } = [];
    public IReadOnlyList<BlkioEntry> IoServiceTimeRecursive { get; init; } = [];
    public IReadOnlyList<BlkioEntry> IoWaitTimeRecursive { get; init; } = [];
    public IReadOnlyList<BlkioEntry> IoMergedRecursive { get; init; } = [];
    public IReadOnlyList<BlkioEntry> IoTimeRecursive { get; init; } = [];
    public IReadOnlyList<BlkioEntry> SectorsRecursive { get; init; } = [];
}

/// <summary>Huge pages of one size: bytes in use, the most ever used (v1 only), and allocations refused at the limit.</summary>
public sealed record HugetlbStats(ulong Usage, ulong Max, ulong Failcnt);
