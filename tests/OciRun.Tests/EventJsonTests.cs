using LibContainer.Cgroups.Stats;
using LibContainer.Events;
using OciRun.Output;

namespace OciRun.Tests;

/// <summary>`events` lines in runc's shape: its field names, its omitted zeros, its sorted maps.</summary>
public sealed class EventJsonTests
{
    private static readonly MemoryEntry Unlimited = new(9223372036854771712, 0, 0, 0);

    // The numbers of a line `runc events --stats` printed on this host for a busybox container (cgroup v1).
    private static CgroupStats AsRuncSawIt() => new()
    {
        Cpu = new CpuStats(new CpuUsage(58605994, [48807404, 9798590], [20000000, 8000000], [32000000, 0], Kernel: 20000000, User: 30000000), CpuThrottling.None),
        Cpuset = new CpusetStats([0, 1], 0, [0], 0, 0, 0, 0, 0, 0, 1, -1),
        Memory = new MemoryStats(4096, Unlimited with { Usage = 806912, Max = 2740224 }, Unlimited with { Usage = 806912, Max = 2740224 },
            Unlimited with { Usage = 331776, Max = 598016 }, Unlimited,
            new Dictionary<string, ulong> { ["rss"] = 122880, ["cache"] = 4096, ["active_anon"] = 8192, ["hierarchical_memory_limit"] = 9223372036854771712 }),
        Pids = new PidsStats(2, 0),
        Blkio = new BlkioStats(),
    };

    [Fact]
    public void A_stats_line_is_runcs_with_its_field_names_and_omitted_zeros()
    {
        EventJson.Line(new ContainerEvent(ContainerEventType.Stats, "r1", AsRuncSawIt())).Should().Be(
            """{"type":"stats","id":"r1","data":{"cpu":{"usage":{"total":58605994,"percpu":[48807404,9798590],"percpu_kernel":[20000000,8000000],"percpu_user":[32000000,0],"kernel":20000000,"user":30000000},"throttling":{}}"""
            + ""","cpuset":{"cpus":[0,1],"cpu_exclusive":0,"mems":[0],"mem_hardwall":0,"mem_exclusive":0,"memory_migrate":0,"memory_spread_page":0,"memory_spread_slab":0,"memory_pressure":0,"sched_load_balance":1,"sched_relax_domain_level":-1}"""
            + ""","memory":{"cache":4096,"usage":{"limit":9223372036854771712,"usage":806912,"max":2740224,"failcnt":0},"swap":{"limit":9223372036854771712,"usage":806912,"max":2740224,"failcnt":0}"""
            + ""","kernel":{"limit":9223372036854771712,"usage":331776,"max":598016,"failcnt":0},"kernelTCP":{"limit":9223372036854771712,"failcnt":0}"""
            + ""","raw":{"active_anon":8192,"cache":4096,"hierarchical_memory_limit":9223372036854771712,"rss":122880}},"pids":{"current":2},"blkio":{}}}""" + "\n");
    }

    [Fact]
    public void An_oom_line_has_no_data()
    {
        EventJson.Line(new ContainerEvent(ContainerEventType.Oom, "c1")).Should().Be("""{"type":"oom","id":"c1"}""" + "\n");
    }

    [Fact]
    public void Missing_controllers_are_left_out_and_an_empty_stats_is_an_empty_object()
    {
        EventJson.Line(new ContainerEvent(ContainerEventType.Stats, "c1", new CgroupStats())).Should().Be("""{"type":"stats","id":"c1","data":{}}""" + "\n");
        var memoryOnly = new CgroupStats { Memory = new MemoryStats(0, new MemoryEntry(0, 0, 0, 0), null, null, null, new Dictionary<string, ulong>()) };
        EventJson.Line(new ContainerEvent(ContainerEventType.Stats, "c1", memoryOnly))
            .Should().Be("""{"type":"stats","id":"c1","data":{"memory":{"usage":{"limit":0,"failcnt":0}}}}""" + "\n");
    }

    [Fact]
    public void Blkio_lists_throttling_and_hugetlb_use_runcs_names_and_sorted_page_sizes()
    {
        var stats = new CgroupStats
        {
            Cpu = new CpuStats(CpuUsage.None, new CpuThrottling(7, 2, 30000)),
            Blkio = new BlkioStats
            {
                IoServiceBytesRecursive = [new BlkioEntry(8, 0, "Read", 4096)],
                IoQueuedRecursive = [new BlkioEntry(8, 0, "Write", 0)],
                SectorsRecursive = [new BlkioEntry(253, 1, "", 8)],
            },
            Hugetlb = new Dictionary<string, HugetlbStats> { ["2MB"] = new(2097152, 0, 3), ["1GB"] = new(0, 0, 0) },
        };
        EventJson.Line(new ContainerEvent(ContainerEventType.Stats, "c1", stats)).Should().Be(
            """{"type":"stats","id":"c1","data":{"cpu":{"usage":{"kernel":0,"user":0},"throttling":{"periods":7,"throttledPeriods":2,"throttledTime":30000}}"""
            + ""","blkio":{"ioServiceBytesRecursive":[{"major":8,"op":"Read","value":4096}],"ioQueueRecursive":[{"major":8,"op":"Write"}],"sectorsRecursive":[{"major":253,"minor":1,"value":8}]}"""
            + ""","hugetlb":{"1GB":{"failcnt":0},"2MB":{"usage":2097152,"failcnt":3}}}}""" + "\n");
    }
}
