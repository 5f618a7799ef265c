using LibContainer.Cgroups.Stats;

namespace LibContainer.Tests.Cgroups;

/// <summary>Stats from a cgroup v2 directory, in runc's units and v1 shapes.</summary>
public sealed class V2StatsTests
{
    private const string Dir = "/sys/fs/cgroup/system.slice/c1";

    private static FakeCgroupFiles PureV2() => new FakeCgroupFiles()
        .With($"{Dir}/cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\ncore_sched.force_idle_usec 0\nnr_periods 7\nnr_throttled 2\nthrottled_usec 30\nnr_bursts 0\nburst_usec 0\n")
        .With($"{Dir}/memory.stat", "anon 8192\nfile 4096\nkernel 1024\npgfault 12\n")
        .With($"{Dir}/memory.current", "20480\n")
        .With($"{Dir}/memory.max", "1048576\n")
        .With($"{Dir}/memory.peak", "40960\n")
        .With($"{Dir}/memory.swap.current", "512\n")
        .With($"{Dir}/memory.swap.max", "max\n")
        .With($"{Dir}/memory.events", "low 0\nhigh 0\nmax 5\noom 2\noom_kill 1\noom_group_kill 0\n")
        .With($"{Dir}/pids.current", "3\n")
        .With($"{Dir}/pids.max", "100\n")
        .With($"{Dir}/io.stat", "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n253:1 rbytes=0 wbytes=512 rios=0 wios=1 dbytes=0 dios=0\n")
        .With($"{Dir}/hugetlb.2MB.current", "2097152\n").With($"{Dir}/hugetlb.2MB.events", "max 3\n").With($"{Dir}/hugetlb.2MB.rsvd.current", "0\n")
        .With($"{Dir}/hugetlb.1GB.current", "0\n").With($"{Dir}/hugetlb.1GB.events", "max 0\n");

    [Fact]
    public void Cpu_microseconds_become_nanoseconds()
    {
        var cpu = V2Stats.Read(Dir, PureV2()).Cpu!;
        cpu.Usage.Total.Should().Be(1_500_000);
        cpu.Usage.User.Should().Be(1_000_000);
        cpu.Usage.Kernel.Should().Be(500_000);
        cpu.Usage.PerCpu.Should().BeEmpty("v2 has no per-CPU counters");
        cpu.Throttling.Should().Be(new CpuThrottling(7, 2, 30_000));
    }

    [Fact]
    public void Memory_usage_limit_and_peak_and_the_file_pages_as_cache()
    {
        var memory = V2Stats.Read(Dir, PureV2()).Memory!;
        memory.Cache.Should().Be(4096);
        memory.Usage.Should().Be(new MemoryEntry(Limit: 1048576, Usage: 20480, Max: 40960, Failcnt: 0));
        memory.Raw.Should().HaveCount(4).And.ContainKey("anon");
        memory.Kernel.Should().BeNull("v2 has no separate kernel memory limit");
        memory.KernelTcp.Should().BeNull();
    }

    [Fact]
    public void Swap_counts_memory_too_as_v1_memsw_does()
    {
        V2Stats.Read(Dir, PureV2()).Memory!.Swap.Should().Be(new MemoryEntry(ulong.MaxValue, 20480 + 512, 0, 0), "no swap limit stays no limit");
        var limited = PureV2().With($"{Dir}/memory.swap.max", "2048\n");
        V2Stats.Read(Dir, limited).Memory!.Swap!.Limit.Should().Be(1048576 + 2048);
        var noMemoryLimit = PureV2().With($"{Dir}/memory.max", "max\n").With($"{Dir}/memory.swap.max", "2048\n");
        V2Stats.Read(Dir, noMemoryLimit).Memory!.Swap!.Limit.Should().Be(ulong.MaxValue, "the sum does not wrap around");
        var withoutSwap = new FakeCgroupFiles().With($"{Dir}/memory.stat", "anon 1\n").With($"{Dir}/memory.current", "1\n");
        V2Stats.Read(Dir, withoutSwap).Memory!.Swap.Should().BeNull();
    }

    [Fact]
    public void Pids_come_from_the_pids_controller_or_else_from_cgroup_procs()
    {
        V2Stats.Read(Dir, PureV2()).Pids.Should().Be(new PidsStats(3, 100));
        var noController = new FakeCgroupFiles().With($"{Dir}/cgroup.procs", "12\n13\n14\n");
        V2Stats.Read(Dir, noController).Pids.Should().Be(new PidsStats(3, 0));
        V2Stats.Read(Dir, new FakeCgroupFiles()).Pids.Should().BeNull();
    }

    [Fact]
    public void Io_stat_fills_the_service_bytes_and_serviced_lists_per_device()
    {
        var blkio = V2Stats.Read(Dir, PureV2()).Blkio!;
        blkio.IoServiceBytesRecursive.Should().Equal(
            new BlkioEntry(8, 0, "Read", 4096), new BlkioEntry(8, 0, "Write", 8192),
            new BlkioEntry(253, 1, "Read", 0), new BlkioEntry(253, 1, "Write", 512));
        blkio.IoServicedRecursive.Should().Equal(
            new BlkioEntry(8, 0, "Read", 1), new BlkioEntry(8, 0, "Write", 2),
            new BlkioEntry(253, 1, "Read", 0), new BlkioEntry(253, 1, "Write", 1));
        blkio.SectorsRecursive.Should().BeEmpty();
    }

    [Fact]
    public void Hugetlb_failcnt_is_the_max_count_of_its_events_file()
    {
        var hugetlb = V2Stats.Read(Dir, PureV2()).Hugetlb!;
        hugetlb.Keys.Should().BeEquivalentTo("1GB", "2MB");
        hugetlb["2MB"].Should().Be(new HugetlbStats(2097152, 0, 3));
    }

    [Fact]
    public void A_cgroup_without_the_controllers_enabled_has_only_cpu_stat_and_procs()
    {
        var bare = new FakeCgroupFiles().With($"{Dir}/cpu.stat", "usage_usec 10\nuser_usec 6\nsystem_usec 4\n").With($"{Dir}/cgroup.procs", "1\n");
        var stats = V2Stats.Read(Dir, bare);
        stats.Cpu!.Usage.Total.Should().Be(10_000);
        stats.Cpu.Throttling.Should().Be(CpuThrottling.None);
        stats.Memory.Should().BeNull();
        stats.Blkio.Should().BeNull();
        stats.Hugetlb.Should().BeNull();
        stats.Cpuset.Should().BeNull("runc reads no cpuset stats on v2");
        stats.Pids.Should().Be(new PidsStats(1, 0));
    }

    [Fact]
    public void The_oom_kill_count_is_memory_events_oom_kill()
    {
        V2Stats.OomKillCount(Dir, PureV2()).Should().Be(1, "oom counts OOMs, oom_kill the processes killed");
        V2Stats.OomKillCount(Dir, new FakeCgroupFiles()).Should().Be(0);
    }
}
