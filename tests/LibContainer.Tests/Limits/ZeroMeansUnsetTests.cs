using LibContainer.Cgroups.Limits;
using LibContainer.Spec;

namespace LibContainer.Tests.Limits;

/// <summary>What engines send: blocks of zeros that mean "not set", as runc reads them.</summary>
public sealed class ZeroMeansUnsetTests
{
    // Docker 20.10 on every container, podman's --pids-limit 0, ctr's and CRI's shapes.
    public static TheoryData<string> EngineZeros() => new()
    {
        """{ "memory": { "disableOOMKiller": false }, "cpu": { "shares": 0 }, "blockIO": { "weight": 0 } }""",
        """{ "memory": { "limit": 0, "reservation": 0, "swap": 0, "kernel": 0, "kernelTCP": 0 }, "cpu": { "shares": 0, "quota": 0, "period": 0, "realtimeRuntime": 0, "realtimePeriod": 0, "cpus": "", "mems": "" }, "pids": { "limit": 0 }, "blockIO": { "weight": 0, "leafWeight": 0 } }""",
        """{ "pids": { "limit": 0 } }""",
        """{ "memory": {}, "cpu": {}, "pids": {}, "blockIO": {}, "hugepageLimits": [], "network": {}, "rdma": {}, "unified": {} }""",
        """{ "network": { "classID": 0 } }""",
    };

    [Theory]
    [MemberData(nameof(EngineZeros))]
    public void Zeros_write_nothing_on_v1(string json) =>
        LimitPlan.For(Read(json), FakeHost.V1()).Should().BeEmpty();

    [Theory]
    [MemberData(nameof(EngineZeros))]
    public void Zeros_write_nothing_on_v2(string json) =>
        LimitPlan.For(Read(json), FakeHost.V2()).Should().BeEmpty();

    [Theory]
    [MemberData(nameof(EngineZeros))]
    public void Zeros_need_no_controller_at_all(string json) =>
        LimitPlan.For(Read(json), FakeHost.Make(CgroupVersion.V1, [], [])).Should().BeEmpty();

    [Fact]
    public void Swappiness_zero_is_real()
    {
        FakeHost.Lines(LimitPlan.For(Read("""{ "memory": { "swappiness": 0 } }"""), FakeHost.V1()))
            .Should().Equal("memory/memory.swappiness=0");
    }

    [Fact]
    public void A_cpu_quota_of_minus_one_is_no_limit()
    {
        FakeHost.Lines(LimitPlan.For(Read("""{ "cpu": { "quota": -1, "period": 100000 } }"""), FakeHost.V1()))
            .Should().Equal("cpu/cpu.cfs_period_us=100000", "cpu/cpu.cfs_quota_us=-1");
        FakeHost.Lines(LimitPlan.For(Read("""{ "cpu": { "quota": -1, "period": 100000 } }"""), FakeHost.V2()))
            .Should().Equal("cpu/cpu.max=max 100000");
    }

    [Fact]
    public void A_negative_pids_limit_is_no_limit()
    {
        FakeHost.Lines(LimitPlan.For(Read("""{ "pids": { "limit": -1 } }"""), FakeHost.V1())).Should().Equal("pids/pids.max=max");
    }

    internal static Resources Read(string json)
    {
        var spec = SpecLoader.Parse($$"""{ "ociVersion": "1.2.1", "linux": { "resources": {{json}} } }""");
        return spec.Linux!.Resources!;
    }
}
