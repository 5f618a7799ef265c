using LibContainer.Cgroups.Limits;
using static LibContainer.Tests.Limits.ZeroMeansUnsetTests;

namespace LibContainer.Tests.Limits;

public sealed class V1LimitPlanTests
{
    private static string[] Plan(string json, params string[] extraFiles) => FakeHost.Lines(LimitPlan.For(Read(json), FakeHost.V1(extraFiles)));

    private static string Error(string json, CgroupFacts? host = null) =>
        FluentActions.Invoking(() => LimitPlan.For(Read(json), host ?? FakeHost.V1())).Should().Throw<ContainerError>().Which.Message;

    [Fact]
    public void Docker_limits_as_the_files_want_them()
    {
        Plan("""{ "memory": { "limit": 67108864, "swap": 134217728 }, "cpu": { "shares": 512, "quota": 50000, "period": 100000 }, "pids": { "limit": 50 } }""")
            .Should().Equal(
                "pids/pids.max=50",
                "memory/memory.limit_in_bytes=67108864", // lowering from unlimited: memory first, as runc orders it
                "memory/memory.memsw.limit_in_bytes=134217728",
                "cpu/cpu.shares=512", "cpu/cpu.cfs_period_us=100000", "cpu/cpu.cfs_quota_us=50000");
    }

    [Fact]
    public void Raising_memory_and_swap_above_the_current_limit_writes_swap_first()
    {
        var host = FakeHost.Make(CgroupVersion.V1, ["memory/memory.limit_in_bytes=33554432", "memory/memory.memsw.limit_in_bytes=67108864"], ["memory"]);
        FakeHost.Lines(LimitPlan.For(Read("""{ "memory": { "limit": 134217728, "swap": 268435456 } }"""), host))
            .Should().Equal("memory/memory.memsw.limit_in_bytes=268435456", "memory/memory.limit_in_bytes=134217728");
    }

    [Fact]
    public void Lowering_memory_and_swap_writes_memory_first()
    {
        // The current limit (1 GiB) is above the new memory+swap: memory must come down first.
        var host = FakeHost.Make(CgroupVersion.V1, ["memory/memory.limit_in_bytes=1073741824", "memory/memory.memsw.limit_in_bytes=2147483648"], ["memory"]);
        FakeHost.Lines(LimitPlan.For(Read("""{ "memory": { "limit": 33554432, "swap": 67108864 } }"""), host))
            .Should().Equal("memory/memory.limit_in_bytes=33554432", "memory/memory.memsw.limit_in_bytes=67108864");
    }

    [Fact]
    public void No_memory_limit_lifts_the_swap_limit_too()
    {
        Plan("""{ "memory": { "limit": -1 } }""").Should().Equal("memory/memory.memsw.limit_in_bytes=-1", "memory/memory.limit_in_bytes=-1");
    }

    [Fact]
    public void Reservation_oom_killer_and_swappiness()
    {
        Plan("""{ "memory": { "reservation": 1048576, "disableOOMKiller": true, "swappiness": 10 } }""")
            .Should().Equal("memory/memory.soft_limit_in_bytes=1048576", "memory/memory.oom_control=1", "memory/memory.swappiness=10");
    }

    [Fact]
    public void A_period_is_written_again_after_the_quota_if_the_kernel_refuses_it_first()
    {
        var writes = LimitPlan.For(Read("""{ "cpu": { "quota": 20000, "period": 50000 } }"""), FakeHost.V1());
        writes[0].Should().Match<CgroupWrite>(w => w.File == "cpu.cfs_period_us" && w.RetryAfterNext);
        LimitPlan.For(Read("""{ "cpu": { "period": 50000 } }"""), FakeHost.V1())[0].RetryAfterNext.Should().BeFalse();
    }

    [Fact]
    public void Shares_are_read_back_because_the_kernel_clamps_them()
    {
        LimitPlan.For(Read("""{ "cpu": { "shares": 1 } }"""), FakeHost.V1()).Single().ReadBack.Should().BeTrue();
    }

    [Fact]
    public void Realtime_burst_idle_and_cpuset()
    {
        Plan("""{ "cpu": { "realtimePeriod": 1000000, "realtimeRuntime": 950000, "burst": 1000, "idle": 1, "cpus": "0", "mems": "0" } }""",
                "cpu/cpu.rt_period_us=1000000", "cpu/cpu.rt_runtime_us=950000")
            .Should().Equal("cpu/cpu.cfs_burst_us=1000", "cpu/cpu.rt_period_us=1000000", "cpu/cpu.rt_runtime_us=950000", "cpu/cpu.idle=1",
                "cpuset/cpuset.cpus=0", "cpuset/cpuset.mems=0");
    }

    [Fact]
    public void Block_io_weights_go_to_bfq_and_throttles_per_device()
    {
        Plan("""{ "blockIO": { "weight": 500, "weightDevice": [{ "major": 8, "minor": 0, "weight": 300 }], "throttleReadBpsDevice": [{ "major": 8, "minor": 0, "rate": 1048576 }] } }""")
            .Should().Equal("blkio/blkio.bfq.weight=500", "blkio/blkio.bfq.weight_device=8:0 300", "blkio/blkio.throttle.read_bps_device=8:0 1048576");
    }

    [Fact]
    public void Hugepages_network_and_rdma()
    {
        var host = FakeHost.Make(CgroupVersion.V1, [.. FakeHost.V1Files, "rdma/rdma.max="], ["hugetlb", "net_cls", "net_prio", "rdma"]);
        FakeHost.Lines(LimitPlan.For(Read("""
            { "hugepageLimits": [{ "pageSize": "2MB", "limit": 4194304 }], "network": { "classID": 1048577, "priorities": [{ "name": "eth0", "priority": 5 }] },
              "rdma": { "mlx5_1": { "hcaHandles": 3, "hcaObjects": 10000 } } }
            """), host)).Should().Equal(
                "hugetlb/hugetlb.2MB.limit_in_bytes=4194304", "net_cls/net_cls.classid=1048577", "net_prio/net_prio.ifpriomap=eth0 5",
                "rdma/rdma.max=mlx5_1 hca_handle=3 hca_object=10000");
    }

    [Fact]
    public void A_missing_controller_names_the_field()
    {
        Error("""{ "pids": { "limit": 10 } }""", FakeHost.Make(CgroupVersion.V1, [], ["memory"]))
            .Should().StartWith("linux.resources.pids.limit: this host has no pids cgroup controller");
    }

    [Fact]
    public void Bad_values_name_their_field()
    {
        Error("""{ "memory": { "swappiness": 101 } }""").Should().Be("linux.resources.memory.swappiness: 101 is out of range (0 to 100)");
        Error("""{ "hugepageLimits": [{ "pageSize": "3MB", "limit": 1 }] }""").Should().StartWith("linux.resources.hugepageLimits[0].pageSize: this host has no 3MB huge pages");
        Error("""{ "hugepageLimits": [{ "pageSize": "../x", "limit": 1 }] }""").Should().StartWith("linux.resources.hugepageLimits[0].pageSize: \"../x\" is not a page size");
        Error("""{ "memory": { "kernel": 1048576 } }""").Should().StartWith("linux.resources.memory.kernel: this kernel has no kernel memory limit");
        Error("""{ "blockIO": { "leafWeight": 500 } }""").Should().StartWith("linux.resources.blockIO.leafWeight: this kernel has no blkio.leaf_weight");
        Error("""{ "unified": { "memory.high": "1G" } }""").Should().StartWith("linux.resources.unified[\"memory.high\"]: this host has no memory controller in a cgroup v2 tree");
    }

    [Fact]
    public void Swap_without_swap_accounting_is_refused()
    {
        var host = FakeHost.Make(CgroupVersion.V1, ["memory/memory.limit_in_bytes=9223372036854771712"], ["memory"]);
        Error("""{ "memory": { "limit": 1048576, "swap": 2097152 } }""", host).Should().StartWith("linux.resources.memory.swap: this kernel does not account swap");
        // Without a swap file, "no limit" only lifts the memory limit.
        FakeHost.Lines(LimitPlan.For(Read("""{ "memory": { "limit": -1 } }"""), host)).Should().Equal("memory/memory.limit_in_bytes=-1");
    }
}
