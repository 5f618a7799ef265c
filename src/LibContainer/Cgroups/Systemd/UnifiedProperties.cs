using System.Globalization;

namespace LibContainer.Cgroups.Systemd;

/// <summary>
/// linux.resources.unified keys that systemd has a property for on cgroup v2,
/// as runc 1.1 converts them (cpu.max, cpu.weight, cpuset.cpus and .mems,
/// memory.high/low/min/max/swap.max, pids.max): so systemd, which rewrites
/// its cgroups from its properties, keeps these limits too. Every key is
/// still written to its file afterwards; keys systemd has no property for
/// go to the files only.
/// </summary>
public static class UnifiedProperties
{
    public static IReadOnlyList<PlannedProperty> Of(IReadOnlyDictionary<string, string> unified, SystemdFacts facts)
    {
        var planned = new List<PlannedProperty>();
        var keys = new List<string>(unified.Keys);
        keys.Sort(StringComparer.Ordinal); // a stable order: a dictionary has none
        foreach (var key in keys)
        {
            var field = $"linux.resources.unified[\"{key}\"]";
            var value = unified[key].Trim(); // the kernel allows spaces around a value
            foreach (var property in PropertiesOf(key, value, field, facts)) planned.Add(new(property, field));
        }
        return planned;
    }

    private static IEnumerable<UnitProperty> PropertiesOf(string key, string value, string field, SystemdFacts facts)
    {
        switch (key)
        {
            case "cpu.max":
                // "QUOTA [PERIOD]", QUOTA a number or "max"
                var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length is < 1 or > 2) throw new ContainerError($"{field}: \"{value}\" is not \"QUOTA [PERIOD]\" (e.g. \"50000 100000\" or \"max\")");
                var quota = parts[0] == "max" ? 0 : (long)Number(parts[0], field, allowMax: false);
                var period = parts.Length == 2 ? Number(parts[1], field, allowMax: false) : UnitPlan.DefaultCpuPeriod;
                return UnitPlan.CpuQuota(quota, period, facts);
            case "cpu.weight":
                return [new("CPUWeight", new UInt64Value(Number(value, field, allowMax: false)))];
            case "cpuset.cpus" or "cpuset.mems":
                // systemd has these from v244; older ones get the file alone, as runc
                if (!facts.HasAllowedCpus) return [];
                return [new(key == "cpuset.cpus" ? "AllowedCPUs" : "AllowedMemoryNodes", new ByteArrayValue(UnitPlan.Mask(value, field)))];
            case "memory.high" or "memory.low" or "memory.min" or "memory.max" or "memory.swap.max":
                var name = key switch
                {
                    "memory.high" => "MemoryHigh",
                    "memory.low" => "MemoryLow",
                    "memory.min" => "MemoryMin",
                    "memory.max" => "MemoryMax",
                    _ => "MemorySwapMax",
                };
                return [new(name, new UInt64Value(Number(value, field, allowMax: true)))];
            case "pids.max":
                return [new("TasksMax", new UInt64Value(Number(value, field, allowMax: true)))];
            default:
                return []; // memory.oom.group and the rest: files only, as runc
        }
    }

    // A non-negative number, or "max" (systemd's infinity) where the file takes it.
    private static ulong Number(string text, string field, bool allowMax)
    {
        if (allowMax && text == "max") return ulong.MaxValue;
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
        throw new ContainerError($"{field}: \"{text}\" is not a number{(allowMax ? " or \"max\"" : "")}");
    }
}
