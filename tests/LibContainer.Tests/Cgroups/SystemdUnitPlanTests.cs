using LibContainer;
using LibContainer.Cgroups.Systemd;
using LibContainer.Spec;

namespace LibContainer.Tests.Cgroups;

public sealed class SystemdUnitPlanTests
{
    private static readonly SystemdFacts Systemd252 = new(252, ProcDevices, path => path is "/dev/char/1:3" or "/dev/char/5:0");
    private const string ProcDevices = "Character devices:\n  1 mem\n  5 /dev/tty\n136 pts\n\nBlock devices:\n  7 loop\n  8 sd\n";

    private static List<string> Texts(IReadOnlyList<UnitProperty> properties) => properties.Select(p => p.ToString()).ToList();

    [Fact]
    public void A_scope_starts_in_its_slice_delegated_with_init_and_accounting_on_v1()
    {
        Texts(UnitPlan.Start(SystemdPath.Parse("system.slice:docker:abc", "x"), 4242, v2: false)).Should().Equal(
            "Description=s \"libcontainer container abc\"",
            "Slice=s \"system.slice\"",
            "Delegate=b true",
            "PIDs=au [4242]",
            "MemoryAccounting=b true",
            "CPUAccounting=b true",
            "BlockIOAccounting=b true",
            "TasksAccounting=b true",
            "DefaultDependencies=b false");
    }

    [Fact]
    public void On_v2_io_accounting_replaces_block_io()
    {
        var texts = Texts(UnitPlan.Start(SystemdPath.Parse("system.slice:p:n", "x"), 1, v2: true));
        texts.Should().Contain("IOAccounting=b true").And.NotContain(t => t.StartsWith("BlockIO"));
    }

    [Fact]
    public void A_slice_unit_is_wanted_by_its_parent_and_not_delegated()
    {
        var texts = Texts(UnitPlan.Start(SystemdPath.Parse("user.slice:p:my.slice", "x"), 0, v2: true));
        texts.Should().Contain("Wants=as [user.slice]").And.NotContain(t => t.StartsWith("Slice=") || t.StartsWith("Delegate=") || t.StartsWith("PIDs="));
    }

    private static readonly Resources Limits = new()
    {
        Memory = new() { Limit = 64 << 20, Reservation = 32 << 20, Swap = 128 << 20 },
        Cpu = new() { Shares = 1024, Quota = 50_000, Period = 100_000, Cpus = "0-2,9", Mems = "0" },
        Pids = new() { Limit = 40 },
        BlockIO = new() { Weight = 500 },
    };

    [Fact]
    public void V1_resources_use_memory_limit_cpu_shares_and_block_io_weight()
    {
        Texts(UnitPlan.Resources(Limits, v2: false, Systemd252)).Should().Equal(
            "MemoryLimit=t 67108864",
            "CPUShares=t 1024",
            "CPUQuotaPeriodUSec=t 100000",
            "CPUQuotaPerSecUSec=t 500000",
            "BlockIOWeight=t 500",
            "TasksMax=t 40",
            "AllowedCPUs=ay [7, 2]",
            "AllowedMemoryNodes=ay [1]");
    }

    [Fact]
    public void V2_resources_use_memory_max_low_swap_and_weights_converted_as_runc()
    {
        Texts(UnitPlan.Resources(Limits, v2: true, Systemd252)).Should().Equal(
            "MemoryMax=t 67108864",
            "MemoryLow=t 33554432",
            "MemorySwapMax=t 67108864", // the spec's swap is memory+swap
            "CPUWeight=t 39", // 1024 shares, runc's linear map
            "CPUQuotaPeriodUSec=t 100000",
            "CPUQuotaPerSecUSec=t 500000",
            "IOWeight=t 4950", // blkio 500, runc's map 1 + (500-10)*9999/990
            "TasksMax=t 40",
            "AllowedCPUs=ay [7, 2]",
            "AllowedMemoryNodes=ay [1]");
    }

    [Fact]
    public void Unlimited_is_systemds_infinity_and_an_uneven_quota_rounds_up_to_a_whole_percent()
    {
        var r = new Resources { Memory = new() { Limit = -1 }, Pids = new() { Limit = -1 }, Cpu = new() { Quota = 12_345, Period = 100_000 } };
        Texts(UnitPlan.Resources(r, v2: true, Systemd252)).Should().Equal(
            "MemoryMax=t 18446744073709551615",
            "CPUQuotaPeriodUSec=t 100000",
            "CPUQuotaPerSecUSec=t 130000",
            "TasksMax=t 18446744073709551615");
    }

    [Fact]
    public void An_older_systemd_gets_no_quota_period_nor_allowed_cpus()
    {
        var texts = Texts(UnitPlan.Resources(Limits, v2: true, Systemd252 with { Version = 241 }));
        texts.Should().Contain("CPUQuotaPerSecUSec=t 500000").And.NotContain(t => t.StartsWith("CPUQuotaPeriodUSec") || t.StartsWith("Allowed"));
    }

    [Fact]
    public void Nothing_set_is_no_property()
    {
        UnitPlan.Resources(new Resources(), v2: true, Systemd252).Should().BeEmpty();
        UnitPlan.Resources(new Resources { Pids = new() { Limit = 0 } }, v2: false, Systemd252).Should().BeEmpty();
    }

    [Fact]
    public void An_allow_list_becomes_a_strict_policy_with_paths_groups_and_globs()
    {
        var rules = new List<DeviceRule>
        {
            new() { Allow = false, Access = "rwm" },
            new() { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rwm" },
            new() { Allow = true, Type = "c", Major = 136, Access = "rwm" },
            new() { Allow = true, Type = "b", Access = "m" },
            new() { Allow = true, Type = "c", Major = 10, Minor = 200, Access = "rwm" }, // no such node here: skipped, as runc
        };
        var warnings = new List<string>();
        Texts(UnitPlan.DeviceProperties(rules, Systemd252, warnings.Add)).Should().Equal(
            "DevicePolicy=s \"strict\"",
            "DeviceAllow=a(ss) [/dev/char/1:3 rwm, char-pts rwm, block-* m]");
        warnings.Should().ContainSingle().Which.Should().Contain("/dev/char/10:200");
    }

    [Fact]
    public void Allowing_everything_is_the_auto_policy_and_a_deny_list_is_strict_with_a_warning()
    {
        var warnings = new List<string>();
        Texts(UnitPlan.DeviceProperties([new() { Allow = true, Access = "rwm" }], Systemd252, warnings.Add))
            .Should().Equal("DevicePolicy=s \"auto\"", "DeviceAllow=a(ss) []");
        Texts(UnitPlan.DeviceProperties([new() { Allow = true, Access = "rwm" }, new() { Allow = false, Type = "c", Major = 1, Minor = 3, Access = "rwm" }], Systemd252, warnings.Add))
            .Should().Equal("DevicePolicy=s \"strict\"", "DeviceAllow=a(ss) []");
        warnings.Should().ContainSingle().Which.Should().Contain("blacklist");
    }

    [Theory]
    [InlineData("0", new byte[] { 1 })]
    [InlineData("8", new byte[] { 0, 1 })]
    [InlineData("0-3,5", new byte[] { 0x2f })]
    public void A_cpu_list_is_a_little_endian_mask(string list, byte[] mask) => UnitPlan.Mask(list, "f").Should().Equal(mask);

    [Theory]
    [InlineData("x")]
    [InlineData("3-1")]
    [InlineData("1-2-3")]
    public void A_bad_cpu_list_names_the_field(string list)
    {
        var act = () => UnitPlan.Mask(list, "linux.resources.cpu.cpus");
        act.Should().Throw<ContainerError>().WithMessage("linux.resources.cpu.cpus*");
    }
}

public sealed class SystemdUnifiedPropertiesTests
{
    private static readonly SystemdFacts Systemd252 = new(252, "", _ => true);

    private static List<string> Texts(IReadOnlyDictionary<string, string> unified, SystemdFacts? facts = null) =>
        UnifiedProperties.Of(unified, facts ?? Systemd252).Select(p => $"{p.Property} <- {p.Field}").ToList();

    [Fact]
    public void Keys_systemd_has_properties_for_become_them_as_runc_converts_them()
    {
        Texts(new Dictionary<string, string>
        {
            ["cpu.weight"] = "300",
            ["cpu.max"] = "50000 200000",
            ["memory.high"] = " 1048576 ",
            ["memory.max"] = "max",
            ["memory.min"] = "4096",
            ["memory.low"] = "8192",
            ["memory.swap.max"] = "0",
            ["pids.max"] = "max",
            ["cpuset.cpus"] = "0-1",
            ["cpuset.mems"] = "0",
        }).Should().Equal(
            "CPUQuotaPeriodUSec=t 200000 <- linux.resources.unified[\"cpu.max\"]",
            "CPUQuotaPerSecUSec=t 250000 <- linux.resources.unified[\"cpu.max\"]",
            "CPUWeight=t 300 <- linux.resources.unified[\"cpu.weight\"]",
            "AllowedCPUs=ay [3] <- linux.resources.unified[\"cpuset.cpus\"]",
            "AllowedMemoryNodes=ay [1] <- linux.resources.unified[\"cpuset.mems\"]",
            "MemoryHigh=t 1048576 <- linux.resources.unified[\"memory.high\"]",
            "MemoryLow=t 8192 <- linux.resources.unified[\"memory.low\"]",
            "MemoryMax=t 18446744073709551615 <- linux.resources.unified[\"memory.max\"]",
            "MemoryMin=t 4096 <- linux.resources.unified[\"memory.min\"]",
            "MemorySwapMax=t 0 <- linux.resources.unified[\"memory.swap.max\"]",
            "TasksMax=t 18446744073709551615 <- linux.resources.unified[\"pids.max\"]");
    }

    [Fact]
    public void A_cpu_max_without_period_takes_the_default_one_and_max_is_no_quota()
    {
        Texts(new Dictionary<string, string> { ["cpu.max"] = "25000" }).Should().Equal(
            "CPUQuotaPeriodUSec=t 100000 <- linux.resources.unified[\"cpu.max\"]",
            "CPUQuotaPerSecUSec=t 250000 <- linux.resources.unified[\"cpu.max\"]");
        Texts(new Dictionary<string, string> { ["cpu.max"] = "max" }).Should().Equal(
            "CPUQuotaPeriodUSec=t 100000 <- linux.resources.unified[\"cpu.max\"]",
            "CPUQuotaPerSecUSec=t 18446744073709551615 <- linux.resources.unified[\"cpu.max\"]");
    }

    [Fact]
    public void Keys_without_a_property_are_left_to_the_files()
    {
        Texts(new Dictionary<string, string> { ["memory.oom.group"] = "1", ["io.weight"] = "default 100", ["hugetlb.2MB.max"] = "0" }).Should().BeEmpty();
        Texts(new Dictionary<string, string> { ["cpuset.cpus"] = "0" }, Systemd252 with { Version = 243 }).Should().BeEmpty();
    }

    [Theory]
    [InlineData("cpu.weight", "heavy")]
    [InlineData("cpu.weight", "max")]
    [InlineData("cpu.max", "1 2 3")]
    [InlineData("cpu.max", "-1 100000")]
    [InlineData("memory.max", "1G")]
    [InlineData("pids.max", "-1")]
    [InlineData("cpuset.cpus", "3-1")]
    public void A_bad_value_names_its_key(string key, string value)
    {
        var act = () => UnifiedProperties.Of(new Dictionary<string, string> { [key] = value }, Systemd252);
        act.Should().Throw<ContainerError>().WithMessage($"linux.resources.unified[\"{key}\"]: *");
    }

    [Fact]
    public void Unified_keys_follow_the_other_properties_on_v2_only()
    {
        var r = new Resources { Pids = new() { Limit = 5 }, Unified = new() { ["memory.high"] = "4096" } };
        UnitPlan.Resources(r, v2: true, Systemd252).Select(p => p.ToString()).Should().Equal("TasksMax=t 5", "MemoryHigh=t 4096");
        UnitPlan.Resources(r, v2: false, Systemd252).Select(p => p.ToString()).Should().Equal("TasksMax=t 5");
    }
}
