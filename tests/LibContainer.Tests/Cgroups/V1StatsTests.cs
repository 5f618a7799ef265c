using LibContainer.Cgroups.Stats;

namespace LibContainer.Tests.Cgroups;

/// <summary>Stats from cgroup v1 files (contents as this kernel writes them), read as runc reads them.</summary>
public sealed class V1StatsTests
{
    private const string Root = "/sys/fs/cgroup";

    private static readonly Dictionary<string, string> Paths = new()
    {
        ["cpu"] = $"{Root}/cpu/oci/c1", ["cpuacct"] = $"{Root}/cpuacct/oci/c1", ["cpuset"] = $"{Root}/cpuset/oci/c1",
        ["memory"] = $"{Root}/memory/oci/c1", ["pids"] = $"{Root}/pids/oci/c1", ["blkio"] = $"{Root}/blkio/oci/c1",
        ["freezer"] = $"{Root}/freezer/oci/c1", ["name=systemd"] = $"{Root}/systemd/oci/c1", [""] = $"{Root}/unified/oci/c1",
    };

    private static FakeCgroupFiles HostLike() => new FakeCgroupFiles()
        .With($"{Root}/cpu/oci/c1/cpu.stat", "nr_periods 10\nnr_throttled 3\nthrottled_time 4500\nnr_bursts 0\nburst_time 0\n")
        .With($"{Root}/cpuacct/oci/c1/cpuacct.usage", "36345999621\n")
        .With($"{Root}/cpuacct/oci/c1/cpuacct.stat", "user 1314\nsystem 2319\n")
        .With($"{Root}/cpuacct/oci/c1/cpuacct.usage_percpu", "17379101441 18966898180 \n")
        .With($"{Root}/cpuacct/oci/c1/cpuacct.usage_all", "cpu user system\n0 5532000000 9584000000\n1 5880000000 10552000000\n")
        .With($"{Root}/cpuset/oci/c1/cpuset.cpus", "0-2,5\n")
        .With($"{Root}/cpuset/oci/c1/cpuset.mems", "0\n")
        .With($"{Root}/cpuset/oci/c1/cpuset.sched_load_balance", "1\n")
        .With($"{Root}/cpuset/oci/c1/cpuset.sched_relax_domain_level", "-1\n")
        .With($"{Root}/memory/oci/c1/memory.stat", "cache 4096\nrss 122880\ntotal_rss 122880\nhierarchical_memory_limit 9223372036854771712\n")
        .With($"{Root}/memory/oci/c1/memory.usage_in_bytes", "806912\n")
        .With($"{Root}/memory/oci/c1/memory.max_usage_in_bytes", "2740224\n")
        .With($"{Root}/memory/oci/c1/memory.limit_in_bytes", "9223372036854771712\n")
        .With($"{Root}/memory/oci/c1/memory.failcnt", "0\n")
        .With($"{Root}/memory/oci/c1/memory.memsw.usage_in_bytes", "806912\n")
        .With($"{Root}/memory/oci/c1/memory.memsw.max_usage_in_bytes", "2740224\n")
        .With($"{Root}/memory/oci/c1/memory.memsw.limit_in_bytes", "9223372036854771712\n")
        .With($"{Root}/memory/oci/c1/memory.memsw.failcnt", "2\n")
        .With($"{Root}/memory/oci/c1/memory.kmem.usage_in_bytes", "331776\n")
        .With($"{Root}/memory/oci/c1/memory.kmem.max_usage_in_bytes", "598016\n")
        .With($"{Root}/memory/oci/c1/memory.kmem.limit_in_bytes", "9223372036854771712\n")
        .With($"{Root}/memory/oci/c1/memory.kmem.failcnt", "0\n")
        .With($"{Root}/memory/oci/c1/memory.kmem.tcp.usage_in_bytes", "0\n")
        .With($"{Root}/memory/oci/c1/memory.kmem.tcp.max_usage_in_bytes", "0\n")
        .With($"{Root}/memory/oci/c1/memory.kmem.tcp.limit_in_bytes", "9223372036854771712\n")
        .With($"{Root}/memory/oci/c1/memory.kmem.tcp.failcnt", "0\n")
        .With($"{Root}/memory/oci/c1/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n")
        .With($"{Root}/pids/oci/c1/pids.current", "2\n")
        .With($"{Root}/pids/oci/c1/pids.max", "max\n")
        .With($"{Root}/blkio/oci/c1/blkio.bfq.io_serviced_recursive", "8:0 Read 10\n8:0 Write 5\nTotal 15\n")
        .With($"{Root}/blkio/oci/c1/blkio.bfq.io_service_bytes_recursive", "8:0 Read 40960\n8:0 Write 20480\nTotal 61440\n")
        .With($"{Root}/blkio/oci/c1/blkio.throttle.io_serviced", "8:0 Read 99\nTotal 99\n");

    [Fact]
    public void Cpu_usage_comes_from_cpuacct_and_throttling_from_cpu_stat()
    {
        var cpu = V1Stats.Read(Paths, HostLike()).Cpu!;
        cpu.Usage.Total.Should().Be(36345999621);
        cpu.Usage.PerCpu.Should().Equal(17379101441, 18966898180);
        cpu.Usage.PerCpuUser.Should().Equal(5532000000, 5880000000);
        cpu.Usage.PerCpuKernel.Should().Equal(9584000000, 10552000000);
        cpu.Usage.User.Should().Be(13_140_000_000, "1314 ticks of 10 ms");
        cpu.Usage.Kernel.Should().Be(23_190_000_000);
        cpu.Throttling.Should().Be(new CpuThrottling(10, 3, 4500));
    }

    [Fact]
    public void Cpuset_lists_are_expanded_and_the_rest_read_as_numbers()
    {
        var cpuset = V1Stats.Read(Paths, HostLike()).Cpuset!;
        cpuset.Cpus.Should().Equal((ushort)0, (ushort)1, (ushort)2, (ushort)5);
        cpuset.Mems.Should().Equal((ushort)0);
        cpuset.SchedLoadBalance.Should().Be(1);
        cpuset.SchedRelaxDomainLevel.Should().Be(-1);
        cpuset.CpuExclusive.Should().Be(0, "a file that is missing reads as 0");
    }

    [Fact]
    public void Memory_has_usage_swap_kernel_and_the_raw_memory_stat()
    {
        var memory = V1Stats.Read(Paths, HostLike()).Memory!;
        memory.Cache.Should().Be(4096);
        memory.Usage.Should().Be(new MemoryEntry(Limit: 9223372036854771712, Usage: 806912, Max: 2740224, Failcnt: 0));
        memory.Swap.Should().Be(new MemoryEntry(9223372036854771712, 806912, 2740224, 2), "memsw: memory and swap together");
        memory.Kernel!.Usage.Should().Be(331776);
        memory.KernelTcp!.Usage.Should().Be(0);
        memory.Raw.Should().ContainKey("total_rss").WhoseValue.Should().Be(122880);
        memory.Raw.Should().HaveCount(4);
    }

    [Fact]
    public void Without_swap_accounting_or_kmem_files_those_entries_are_left_out()
    {
        var files = new FakeCgroupFiles()
            .With($"{Root}/memory/oci/c1/memory.stat", "cache 0\n")
            .With($"{Root}/memory/oci/c1/memory.usage_in_bytes", "100\n");
        var memory = V1Stats.Read(Paths, files).Memory!;
        memory.Usage.Usage.Should().Be(100);
        memory.Swap.Should().BeNull();
        memory.Kernel.Should().BeNull();
        memory.KernelTcp.Should().BeNull();
    }

    [Fact]
    public void Pids_max_is_no_limit_which_reads_as_zero()
    {
        V1Stats.Read(Paths, HostLike()).Pids.Should().Be(new PidsStats(2, 0));
        var limited = HostLike().With($"{Root}/pids/oci/c1/pids.max", "50\n");
        V1Stats.Read(Paths, limited).Pids.Should().Be(new PidsStats(2, 50));
    }

    [Fact]
    public void Blkio_reads_the_first_set_of_files_that_has_lines_and_skips_the_total()
    {
        var blkio = V1Stats.Read(Paths, HostLike()).Blkio!;
        blkio.IoServicedRecursive.Should().Equal(new BlkioEntry(8, 0, "Read", 10), new BlkioEntry(8, 0, "Write", 5));
        blkio.IoServiceBytesRecursive.Should().Equal(new BlkioEntry(8, 0, "Read", 40960), new BlkioEntry(8, 0, "Write", 20480));
        blkio.SectorsRecursive.Should().BeEmpty();
    }

    [Fact]
    public void Blkio_falls_back_past_sets_whose_first_file_is_missing_or_empty()
    {
        var dir = $"{Root}/blkio/oci/c1";
        var files = new FakeCgroupFiles()
            .With($"{dir}/blkio.bfq.io_serviced_recursive", "Total 0\n") // BFQ with nothing done yet: next set
            .With($"{dir}/blkio.sectors_recursive", "8:0 8\n") // CFQ
            .With($"{dir}/blkio.io_service_time_recursive", "8:0 Read 1\n8:0 Write 2\n")
            .With($"{dir}/blkio.io_merged_recursive", "8:0 Read 3\n"); // the wait-time file between is missing: reading stops there
        var blkio = V1Stats.Read(Paths, files).Blkio!;
        blkio.SectorsRecursive.Should().Equal(new BlkioEntry(8, 0, "", 8));
        blkio.IoServiceTimeRecursive.Should().HaveCount(2);
        blkio.IoMergedRecursive.Should().BeEmpty("runc stops at the first missing file of the set it chose");

        var throttled = new FakeCgroupFiles().With($"{dir}/blkio.throttle.io_serviced", "253:1 Write 7\nTotal 7\n")
            .With($"{dir}/blkio.throttle.io_service_bytes", "253:1 Write 28672\nTotal 28672\n");
        V1Stats.Read(Paths, throttled).Blkio!.IoServiceBytesRecursive.Should().Equal(new BlkioEntry(253, 1, "Write", 28672));
        V1Stats.Read(Paths, new FakeCgroupFiles()).Blkio.Should().BeEquivalentTo(new BlkioStats(), "an idle blkio cgroup has no lines");
    }

    [Fact]
    public void Hugetlb_is_read_per_page_size_and_the_reservation_files_are_not_sizes()
    {
        var paths = new Dictionary<string, string>(Paths) { ["hugetlb"] = $"{Root}/hugetlb/oci/c1" };
        var dir = $"{Root}/hugetlb/oci/c1";
        var files = new FakeCgroupFiles()
            .With($"{dir}/hugetlb.2MB.usage_in_bytes", "4194304\n").With($"{dir}/hugetlb.2MB.max_usage_in_bytes", "6291456\n")
            .With($"{dir}/hugetlb.2MB.failcnt", "1\n").With($"{dir}/hugetlb.2MB.rsvd.usage_in_bytes", "0\n")
            .With($"{dir}/hugetlb.1GB.usage_in_bytes", "0\n").With($"{dir}/hugetlb.1GB.max_usage_in_bytes", "0\n").With($"{dir}/hugetlb.1GB.failcnt", "0\n");
        var hugetlb = V1Stats.Read(paths, files).Hugetlb!;
        hugetlb.Keys.Should().BeEquivalentTo("2MB", "1GB");
        hugetlb["2MB"].Should().Be(new HugetlbStats(4194304, 6291456, 1));
    }

    [Fact]
    public void On_a_hybrid_host_hugetlb_comes_from_the_unified_hierarchy_when_it_has_the_files()
    {
        var unified = $"{Root}/unified/oci/c1";
        var files = HostLike().With($"{unified}/hugetlb.2MB.current", "2097152\n").With($"{unified}/hugetlb.2MB.events", "max 4\n");
        V1Stats.Read(Paths, files).Hugetlb!["2MB"].Should().Be(new HugetlbStats(2097152, 0, 4));
        V1Stats.Read(Paths, HostLike()).Hugetlb.Should().BeNull("this host's unified hierarchy has no hugetlb files for the container");
    }

    [Fact]
    public void Controllers_that_are_not_mounted_or_have_no_files_are_null()
    {
        var only = new Dictionary<string, string> { ["memory"] = $"{Root}/memory/oci/c1", ["name=systemd"] = $"{Root}/systemd/oci/c1" };
        var stats = V1Stats.Read(only, HostLike());
        stats.Memory.Should().NotBeNull();
        stats.Cpu.Should().BeNull();
        stats.Cpuset.Should().BeNull();
        stats.Pids.Should().BeNull();
        stats.Blkio.Should().BeNull();
        stats.Hugetlb.Should().BeNull();
        V1Stats.Read(Paths, new FakeCgroupFiles()).Memory.Should().BeNull("memory.stat is gone with the cgroup");
    }

    [Fact]
    public void Co_mounted_cpu_and_cpuacct_are_one_directory()
    {
        var comounted = new Dictionary<string, string> { ["cpu,cpuacct"] = $"{Root}/cpu,cpuacct/oci/c1" };
        var files = new FakeCgroupFiles()
            .With($"{Root}/cpu,cpuacct/oci/c1/cpu.stat", "nr_periods 1\nnr_throttled 0\nthrottled_time 0\n")
            .With($"{Root}/cpu,cpuacct/oci/c1/cpuacct.usage", "5\n");
        var cpu = V1Stats.Read(comounted, files).Cpu!;
        cpu.Usage.Total.Should().Be(5);
        cpu.Throttling.Periods.Should().Be(1);
    }

    [Fact]
    public void The_oom_kill_count_is_memory_oom_control_oom_kill()
    {
        V1Stats.OomKillCount(Paths, HostLike()).Should().Be(3);
        V1Stats.OomKillCount(Paths, new FakeCgroupFiles()).Should().Be(0, "a cgroup that is gone has no OOM kills to report");
        V1Stats.OomKillCount(new Dictionary<string, string>(), HostLike()).Should().Be(0);
    }

    [Theory]
    [InlineData("12\n", 12UL)]
    [InlineData("max\n", ulong.MaxValue)]
    [InlineData("-4096\n", 0UL)] // a counter gone below zero through a kernel bug
    [InlineData("18446744073709551615", ulong.MaxValue)]
    public void Values_parse_as_runc_parses_them(string text, ulong expected) =>
        CgroupValues.ParseUint(text).Should().Be(expected);

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1 2")]
    [InlineData("-")]
    public void What_is_no_number_parses_as_none(string text) => CgroupValues.ParseUint(text).Should().BeNull();

    [Fact]
    public void Key_value_lines_of_another_shape_are_passed_over()
    {
        CgroupValues.ParseKeyValues("a 1\nodd line here\nb -2\nc x\n\nd 4").Select(p => $"{p.Key}={p.Value}")
            .Should().Equal("a=1", "b=0", "d=4");
    }

    [Theory]
    [InlineData("0-1", new ushort[] { 0, 1 })]
    [InlineData("3", new ushort[] { 3 })]
    [InlineData("0-1,4,6-7\n", new ushort[] { 0, 1, 4, 6, 7 })]
    [InlineData("", new ushort[0])]
    [InlineData("5-2", new ushort[0])]
    public void Cpu_lists_expand_ranges(string text, ushort[] expected) => V1Stats.CpuList(text).Should().Equal(expected);
}
