using LibContainer.Cgroups.Limits;
using static LibContainer.Tests.Limits.ZeroMeansUnsetTests;

namespace LibContainer.Tests.Limits;

public sealed class V2LimitPlanTests
{
    private static string[] Plan(string json, params string[] extraFiles) => FakeHost.Lines(LimitPlan.For(Read(json), FakeHost.V2(extraFiles)));

    private static string Error(string json) =>
        FluentActions.Invoking(() => LimitPlan.For(Read(json), FakeHost.V2())).Should().Throw<ContainerError>().Which.Message;

    [Fact]
    public void Memory_and_swap_are_converted_as_runc_does()
    {
        // v1's memory+swap of 128 MiB over 64 MiB of memory is 64 MiB of swap on v2.
        Plan("""{ "memory": { "limit": 67108864, "swap": 134217728, "reservation": 33554432 } }""")
            .Should().Equal("memory/memory.swap.max=67108864", "memory/memory.max=67108864", "memory/memory.low=33554432");
        Plan("""{ "memory": { "limit": 67108864, "swap": 67108864 } }""").Should().Equal("memory/memory.swap.max=0", "memory/memory.max=67108864");
        Plan("""{ "memory": { "limit": -1 } }""").Should().Equal("memory/memory.swap.max=max", "memory/memory.max=max");
        Plan("""{ "memory": { "limit": 67108864, "swap": -1 } }""").Should().Equal("memory/memory.swap.max=max", "memory/memory.max=67108864");
    }

    [Theory]
    [InlineData(2UL, 1UL)]
    [InlineData(1024UL, 39UL)]
    [InlineData(262144UL, 10000UL)]
    public void Shares_become_a_weight(ulong shares, ulong weight)
    {
        Plan($$"""{ "cpu": { "shares": {{shares}} } }""").Should().Equal($"cpu/cpu.weight={weight}");
    }

    [Fact]
    public void Quota_and_period_are_one_file()
    {
        Plan("""{ "cpu": { "quota": 50000, "period": 100000 } }""").Should().Equal("cpu/cpu.max=50000 100000");
        Plan("""{ "cpu": { "quota": 50000 } }""").Should().Equal("cpu/cpu.max=50000");
        Plan("""{ "cpu": { "period": 200000 } }""").Should().Equal("cpu/cpu.max=max 200000");
        Plan("""{ "cpu": { "burst": 1000, "idle": 1 } }""").Should().Equal("cpu/cpu.idle=1", "cpu/cpu.max.burst=1000");
    }

    [Fact]
    public void Block_io_weight_is_converted_without_bfq_and_throttles_go_to_io_max()
    {
        Plan("""{ "blockIO": { "weight": 10, "throttleWriteIOPSDevice": [{ "major": 8, "minor": 0, "rate": 100 }], "throttleReadBpsDevice": [{ "major": 8, "minor": 0, "rate": 0 }] } }""")
            .Should().Equal("io/io.weight=1", "io/io.max=8:0 rbps=max", "io/io.max=8:0 wiops=100");
        Plan("""{ "blockIO": { "weight": 1000 } }""").Should().Equal("io/io.weight=10000");
        Plan("""{ "blockIO": { "weight": 500, "weightDevice": [{ "major": 8, "minor": 0, "weight": 300 }] } }""", "io/io.bfq.weight=default 100")
            .Should().Equal("io/io.bfq.weight=500", "io/io.bfq.weight=8:0 300");
    }

    [Fact]
    public void Pids_hugepages_rdma_and_unified()
    {
        Plan("""{ "pids": { "limit": 64 }, "hugepageLimits": [{ "pageSize": "2MB", "limit": 2097152 }], "rdma": { "mlx4_0": { "hcaHandles": 2 } }, "unified": { "memory.high": "50M" } }""")
            .Should().Equal("pids/pids.max=64", "hugetlb/hugetlb.2MB.max=2097152", "rdma/rdma.max=mlx4_0 hca_handle=2", "memory/memory.high=50M");
    }

    [Fact]
    public void What_v2_cannot_do_is_refused_naming_the_field()
    {
        Error("""{ "memory": { "swap": 1048576 } }""").Should().Be("linux.resources.memory.swap: a swap limit needs a memory limit on cgroup v2");
        Error("""{ "memory": { "limit": 2097152, "swap": 1048576 } }""").Should().Be("linux.resources.memory.swap: memory+swap (1048576) must not be below the memory limit (2097152)");
        Error("""{ "memory": { "disableOOMKiller": true } }""").Should().Be("linux.resources.memory.disableOOMKiller: cgroup v2 cannot turn the OOM killer off");
        Error("""{ "memory": { "swappiness": 0 } }""").Should().Be("linux.resources.memory.swappiness: cgroup v2 has no per-cgroup swappiness");
        Error("""{ "cpu": { "realtimeRuntime": 1000 } }""").Should().StartWith("linux.resources.cpu.realtimeRuntime/realtimePeriod: cgroup v2 has no realtime CPU limits");
        Error("""{ "cpu": { "shares": 1 } }""").Should().Be("linux.resources.cpu.shares: the minimum allowed cpu-shares is 2");
        Error("""{ "cpu": { "shares": 262145 } }""").Should().Be("linux.resources.cpu.shares: the maximum allowed cpu-shares is 262144");
        Error("""{ "blockIO": { "weight": 5 } }""").Should().Be("linux.resources.blockIO.weight: 5 is out of range (10 to 1000)");
        Error("""{ "blockIO": { "weightDevice": [{ "major": 8, "minor": 0, "weight": 300 }] } }""").Should().StartWith("linux.resources.blockIO.weightDevice[0].weight: per-device weights need the BFQ I/O scheduler");
        Error("""{ "network": { "classID": 1 } }""").Should().StartWith("linux.resources.network.classID: this host has no net_cls cgroup v1 controller");
        Error("""{ "unified": { "memory.nope": "1" } }""").Should().Be("linux.resources.unified[\"memory.nope\"]: the container's cgroup has no file memory.nope");
        Error("""{ "unified": { "../memory.max": "1" } }""").Should().StartWith("linux.resources.unified[\"../memory.max\"]: \"../memory.max\" is not a cgroup v2 file name");
        Error("""{ "unified": { "misc.max": "1" } }""").Should().StartWith("linux.resources.unified[\"misc.max\"]: this host has no misc controller");
    }

    [Fact]
    public void Check_before_update_refuses_a_limit_below_the_usage()
    {
        Error("""{ "memory": { "limit": 4096, "checkBeforeUpdate": true } }""")
            .Should().Be("linux.resources.memory.limit: 4096 is below the container's current memory usage (1048576), and checkBeforeUpdate is set");
        Plan("""{ "memory": { "limit": 4194304, "checkBeforeUpdate": true } }""").Should().Equal("memory/memory.max=4194304");
    }
}
