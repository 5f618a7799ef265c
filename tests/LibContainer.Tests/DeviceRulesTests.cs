using LibContainer.Cgroups;
using LibContainer.Spec;

namespace LibContainer.Tests;

public sealed class DeviceRulesTests
{
    [Fact]
    public void Rules_become_devices_allow_and_deny_lines()
    {
        var lines = DeviceRules.PlanV1([
            new DeviceRule { Allow = false, Access = "rwm" },
            new DeviceRule { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rw" },
            new DeviceRule { Allow = true, Type = "b", Major = 8, Access = "r" },
        ]);
        lines.Should().Equal(("devices.deny", "a *:* rwm"), ("devices.allow", "c 1:3 rw"), ("devices.allow", "b 8:* r"));
    }

    [Fact]
    public void The_config_comes_first_then_its_devices_then_the_defaults()
    {
        var spec = SpecLoader.Parse("""
            { "linux": { "resources": { "devices": [{ "allow": false, "access": "rwm" }] },
                         "devices": [{ "path": "/dev/fuse", "type": "c", "major": 10, "minor": 229 }] } }
            """);
        var rules = DeviceRules.Effective(spec);
        rules[0].Allow.Should().BeFalse();
        (rules[1].Major, rules[1].Minor, rules[1].Allow).Should().Be((10L, 229L, true));
        rules.Skip(2).Should().Equal(DeviceRules.DefaultAllowed);
    }
}
