using LibContainer.Spec;

namespace LibContainer.Cgroups;

/// <summary>Turns linux.resources.devices into the lines cgroup v1's devices.allow/deny take.</summary>
public static class DeviceRules
{
    /// <summary>What runc allows on top of the config's rules, so a container always has its basic devices.</summary>
    public static readonly IReadOnlyList<DeviceRule> DefaultAllowed =
    [
        new() { Allow = true, Type = "c", Access = "m" },
        new() { Allow = true, Type = "b", Access = "m" },
        new() { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rwm" },   // null
        new() { Allow = true, Type = "c", Major = 1, Minor = 8, Access = "rwm" },   // random
        new() { Allow = true, Type = "c", Major = 1, Minor = 7, Access = "rwm" },   // full
        new() { Allow = true, Type = "c", Major = 5, Minor = 0, Access = "rwm" },   // tty
        new() { Allow = true, Type = "c", Major = 1, Minor = 5, Access = "rwm" },   // zero
        new() { Allow = true, Type = "c", Major = 1, Minor = 9, Access = "rwm" },   // urandom
        new() { Allow = true, Type = "c", Major = 5, Minor = 1, Access = "rwm" },   // console
        new() { Allow = true, Type = "c", Major = 136, Access = "rwm" },            // pts
        new() { Allow = true, Type = "c", Major = 5, Minor = 2, Access = "rwm" },   // ptmx
        new() { Allow = true, Type = "c", Major = 10, Minor = 200, Access = "rwm" }, // net/tun
    ];

    /// <summary>The full rule list: the config's rules, then linux.devices, then the defaults.</summary>
    public static IReadOnlyList<DeviceRule> Effective(RuntimeSpec spec)
    {
        var rules = new List<DeviceRule>(spec.Linux?.Resources?.Devices ?? []);
        // A fifo ("p") is no device to the devices cgroup, which knows only a, b and c.
        foreach (var d in spec.Linux?.Devices ?? [])
        {
            if (d.Type == "p") continue;
            rules.Add(new DeviceRule { Allow = true, Type = d.Type == "u" ? "c" : d.Type, Major = d.Major, Minor = d.Minor, Access = "rwm" });
        }
        rules.AddRange(DefaultAllowed);
        return rules;
    }

    /// <summary>(file, line) writes in order, e.g. ("devices.deny", "a *:* rwm").</summary>
    public static IReadOnlyList<(string File, string Line)> PlanV1(IEnumerable<DeviceRule> rules)
    {
        var plan = new List<(string File, string Line)>();
        foreach (var r in rules) plan.Add((r.Allow ? "devices.allow" : "devices.deny", Line(r)));
        return plan;
    }

    private static string Line(DeviceRule r)
    {
        var type = string.IsNullOrEmpty(r.Type) ? "a" : r.Type;
        var major = r.Major is { } ma && ma >= 0 ? ma.ToString() : "*";
        var minor = r.Minor is { } mi && mi >= 0 ? mi.ToString() : "*";
        var access = string.IsNullOrEmpty(r.Access) ? "rwm" : r.Access;
        return $"{type} {major}:{minor} {access}";
    }
}
