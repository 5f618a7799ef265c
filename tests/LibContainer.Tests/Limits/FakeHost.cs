using LibContainer.Cgroups.Limits;

namespace LibContainer.Tests.Limits;

/// <summary>A host for limit plans: every controller at one cgroup version, and the control files there are ("memory/memory.max" = "max").</summary>
internal static class FakeHost
{
    public static readonly string[] V1Files =
    [
        "memory/memory.limit_in_bytes=9223372036854771712", "memory/memory.memsw.limit_in_bytes=9223372036854771712",
        "memory/memory.soft_limit_in_bytes=9223372036854771712", "memory/memory.swappiness=60", "memory/memory.oom_control=oom_kill_disable 0",
        "cpu/cpu.shares=1024", "cpu/cpu.cfs_period_us=100000", "cpu/cpu.cfs_quota_us=-1", "cpu/cpu.cfs_burst_us=0", "cpu/cpu.idle=0",
        "cpuset/cpuset.cpus=0-1", "cpuset/cpuset.mems=0", "pids/pids.max=max",
        "blkio/blkio.bfq.weight=100", "blkio/blkio.bfq.weight_device=", "blkio/blkio.throttle.read_bps_device=",
        "hugetlb/hugetlb.2MB.limit_in_bytes=9223372036854771712",
    ];

    public static readonly string[] V2Files =
    [
        "memory/memory.max=max", "memory/memory.swap.max=max", "memory/memory.low=0", "memory/memory.current=1048576",
        "cpu/cpu.weight=100", "cpu/cpu.max=max 100000", "cpu/cpu.max.burst=0", "cpu/cpu.idle=0",
        "cpuset/cpuset.cpus=", "cpuset/cpuset.mems=", "pids/pids.max=max", "io/io.weight=default 100", "io/io.max=",
        "hugetlb/hugetlb.2MB.max=max", "rdma/rdma.max=", "memory/memory.high=max",
    ];

    public static CgroupFacts V1(params string[] extra) => Make(CgroupVersion.V1, [.. V1Files, .. extra], ["memory", "cpu", "cpuset", "pids", "blkio", "hugetlb", "net_cls", "net_prio"]);

    public static CgroupFacts V2(params string[] extra) => Make(CgroupVersion.V2, [.. V2Files, .. extra], ["memory", "cpu", "cpuset", "pids", "io", "hugetlb", "rdma", "cgroup"]);

    public static CgroupFacts Make(CgroupVersion version, IEnumerable<string> files, IEnumerable<string> controllers)
    {
        var text = new Dictionary<string, string>();
        foreach (var f in files)
        {
            var eq = f.IndexOf('=');
            text[f[..eq]] = f[(eq + 1)..];
        }
        var present = new HashSet<string>(controllers);
        return new CgroupFacts(c => present.Contains(c) ? version : null, (c, file) => text.GetValueOrDefault($"{c}/{file}"));
    }

    /// <summary>The plan as "controller/file=value" lines.</summary>
    public static string[] Lines(IReadOnlyList<CgroupWrite> writes) => [.. writes.Select(w => $"{w.Controller}/{w.File}={w.Value}")];
}
