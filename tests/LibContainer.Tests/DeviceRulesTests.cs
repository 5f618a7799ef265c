using LibContainer.Cgroups;
using LibContainer.Spec;

namespace LibContainer.Tests;

public sealed class DeviceRulesTests
{
    [Fact]
    public void Deny_all_is_written_to_devices_deny()
    {
        DeviceRules.PlanV1([new DeviceRule { Allow = false, Access = "rwm" }])
            .Should().Equal(("devices.deny", "a *:* rwm"));
    }

    [Fact]
    public void An_allowed_device_is_written_to_devices_allow()
    {
        DeviceRules.PlanV1([new DeviceRule { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rwm" }])
            .Should().Equal(("devices.allow", "c 1:3 rwm"));
    }

    [Theory]
    [InlineData("c", 136L, null, "r", "c 136:* r")]
    [InlineData("b", null, 0L, "m", "b *:0 m")]
    [InlineData("c", -1L, -1L, "rw", "c *:* rw")]
    [InlineData(null, null, null, null, "a *:* rwm")]
    [InlineData("", 8L, 0L, "", "a 8:0 rwm")]
    [InlineData("b", 8L, 16L, "rw", "b 8:16 rw")]
    public void Wildcards_and_defaults_are_spelled_as_the_kernel_wants(string? type, long? major, long? minor, string? access, string line)
    {
        DeviceRules.PlanV1([new DeviceRule { Allow = true, Type = type, Major = major, Minor = minor, Access = access }])
            .Should().Equal(("devices.allow", line));
    }

    [Fact]
    public void Lines_keep_the_order_of_the_rules()
    {
        var lines = DeviceRules.PlanV1([
            new DeviceRule { Allow = false, Access = "rwm" },
            new DeviceRule { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rw" },
            new DeviceRule { Allow = false, Type = "c", Major = 1, Minor = 3, Access = "w" },
        ]);
        lines.Should().Equal(("devices.deny", "a *:* rwm"), ("devices.allow", "c 1:3 rw"), ("devices.deny", "c 1:3 w"));
    }

    [Fact]
    public void Effective_is_config_rules_then_linux_devices_then_defaults()
    {
        var spec = Specs.WithLinux(l => l with
        {
            Resources = new Resources
            {
                Devices = [new DeviceRule { Allow = false, Access = "rwm" }, new DeviceRule { Allow = true, Type = "b", Major = 8, Minor = 0, Access = "r" }],
            },
            Devices = [new Device { Path = "/dev/fuse", Type = "c", Major = 10, Minor = 229 }, new Device { Path = "/dev/sda", Type = "b", Major = 8, Minor = 0 }],
        });
        var rules = DeviceRules.Effective(spec);
        rules.Take(4).Should().Equal(
            new DeviceRule { Allow = false, Access = "rwm" },
            new DeviceRule { Allow = true, Type = "b", Major = 8, Minor = 0, Access = "r" },
            new DeviceRule { Allow = true, Type = "c", Major = 10, Minor = 229, Access = "rwm" },
            new DeviceRule { Allow = true, Type = "b", Major = 8, Minor = 0, Access = "rwm" });
        rules.Skip(4).Should().Equal(DeviceRules.DefaultAllowed);
    }

    [Fact]
    public void A_linux_device_of_type_u_is_allowed_as_a_char_device()
    {
        var spec = Specs.WithLinux(l => l with { Devices = [new Device { Path = "/dev/x", Type = "u", Major = 4, Minor = 1 }] });
        DeviceRules.Effective(spec)[0].Should().Be(new DeviceRule { Allow = true, Type = "c", Major = 4, Minor = 1, Access = "rwm" });
    }

    [Fact]
    public void A_fifo_in_linux_devices_gives_no_cgroup_rule()
    {
        var spec = Specs.WithLinux(l => l with { Devices = [new Device { Path = "/dev/initctl", Type = "p" }] });
        DeviceRules.PlanV1(DeviceRules.Effective(spec)).Should().OnlyContain(w => w.Line[0] == 'a' || w.Line[0] == 'b' || w.Line[0] == 'c');
    }

    [Fact]
    public void Without_rules_only_the_defaults_apply()
    {
        DeviceRules.Effective(Specs.Valid()).Should().Equal(DeviceRules.DefaultAllowed);
        DeviceRules.Effective(Specs.Valid() with { Linux = null }).Should().Equal(DeviceRules.DefaultAllowed);
    }

    [Fact]
    public void The_defaults_give_the_basic_devices_as_runc_does()
    {
        DeviceRules.PlanV1(DeviceRules.DefaultAllowed).Select(w => w.Line).Should().Equal(
            "c *:* m", "b *:* m",
            "c 1:3 rwm", "c 1:8 rwm", "c 1:7 rwm", "c 5:0 rwm", "c 1:5 rwm", "c 1:9 rwm", "c 5:1 rwm",
            "c 136:* rwm", "c 5:2 rwm", "c 10:200 rwm");
        DeviceRules.PlanV1(DeviceRules.DefaultAllowed).Should().OnlyContain(w => w.File == "devices.allow");
    }

    [Fact]
    public void The_default_spec_denies_everything_then_allows_the_basics()
    {
        var plan = DeviceRules.PlanV1(DeviceRules.Effective(DefaultSpec.Create()));
        plan[0].Should().Be(("devices.deny", "a *:* rwm"));
        plan.Skip(1).Should().OnlyContain(w => w.File == "devices.allow").And.Contain(("devices.allow", "c 1:3 rwm"));
    }
}
