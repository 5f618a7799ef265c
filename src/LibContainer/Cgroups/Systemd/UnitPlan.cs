using LibContainer.Cgroups.Limits;
using LibContainer.Spec;

namespace LibContainer.Cgroups.Systemd;

/// <summary>
/// The unit properties oci-run asks systemd for, as runc 1.1's systemd
/// drivers do: the unit's own at start, the resources systemd understands
/// on the host's cgroup version at create and update. What systemd has no
/// property for is written to the delegated cgroup's files afterwards.
/// </summary>
public static class UnitPlan
{
    /// <summary>
    /// StartTransientUnit's properties: a scope in its slice (or a slice wanted
    /// by its parent), delegated, accounting on, no default dependencies,
    /// holding `pid` (none when 0).
    /// </summary>
    public static IReadOnlyList<UnitProperty> Start(SystemdPath path, int pid, bool v2)
    {
        var props = new List<UnitProperty> { new("Description", new StringValue("libcontainer container " + path.Name)) };
        if (path.IsSlice)
            props.Add(new("Wants", new StringArrayValue([path.Slice])));
        else
        {
            props.Add(new("Slice", new StringValue(path.Slice)));
            // The container's cgroup is handed to the runtime: it writes the limits systemd has no property for.
            props.Add(new("Delegate", new BoolValue(true)));
        }
        if (pid > 0) props.Add(new("PIDs", new UInt32ArrayValue([(uint)pid])));
        // Accounting always on, as runc: the same controllers as the cgroupfs driver.
        props.Add(new("MemoryAccounting", new BoolValue(true)));
        props.Add(new("CPUAccounting", new BoolValue(true)));
        props.Add(new(v2 ? "IOAccounting" : "BlockIOAccounting", new BoolValue(true)));
        props.Add(new("TasksAccounting", new BoolValue(true)));
        props.Add(new("DefaultDependencies", new BoolValue(false)));
        return props;
    }

    /// <summary>
    /// The resources as properties (runc's genV1/genV2ResourcesProperties):
    /// devices (when given), memory, CPU weight or shares, quota and period,
    /// cpuset, tasks, I/O weight, then on v2 the unified keys systemd has a
    /// property for. Values keep runc's conversions.
    /// </summary>
    public static IReadOnlyList<UnitProperty> Resources(Resources r, bool v2, SystemdFacts facts, Action<string>? warn = null) =>
        PropertiesOf(PlannedResources(r, v2, facts, warn));

    public static List<UnitProperty> PropertiesOf(IReadOnlyList<PlannedProperty> planned)
    {
        var properties = new List<UnitProperty>(planned.Count);
        foreach (var p in planned) properties.Add(p.Property);
        return properties;
    }

    /// <summary>The same properties, each with the config field it comes from (for systemd's refusals).</summary>
    public static IReadOnlyList<PlannedProperty> PlannedResources(Resources r, bool v2, SystemdFacts facts, Action<string>? warn = null)
    {
        var planned = new List<PlannedProperty>();
        void Add(string field, UnitProperty property) => planned.Add(new(property, field));
        void AddAll(string field, IEnumerable<UnitProperty> properties)
        {
            foreach (var p in properties) planned.Add(new(p, field));
        }
        const string memoryField = "linux.resources.memory", cpuField = "linux.resources.cpu";

        if (r.Devices is { } devices) AddAll("linux.resources.devices", DeviceProperties(devices, facts, warn ?? (_ => { })));

        if (r.Memory?.Limit is { } memory and not 0)
            Add($"{memoryField}.limit", new(v2 ? "MemoryMax" : "MemoryLimit", new UInt64Value(Unsigned(memory))));
        if (v2 && r.Memory?.Reservation is { } low and not 0)
            Add($"{memoryField}.reservation", new("MemoryLow", new UInt64Value(Unsigned(low))));
        if (v2 && r.Memory?.Swap is { } swap and not 0)
        {
            // v2's memory.swap.max is swap alone; the spec's is memory plus swap (runc's conversion).
            var limit = r.Memory.Limit ?? 0;
            var swapMax = swap == -1 ? ulong.MaxValue
                : limit > 0 && swap >= limit ? (ulong)(swap - limit)
                : throw new ContainerError($"{memoryField}.swap: {swap} must be -1 or at least memory.limit ({limit})");
            Add($"{memoryField}.swap", new("MemorySwapMax", new UInt64Value(swapMax)));
        }

        if (r.Cpu?.Shares is { } shares and not 0)
            Add($"{cpuField}.shares", v2 ? new UnitProperty("CPUWeight", new UInt64Value(CpuLimits.WeightOfShares(shares))) : new UnitProperty("CPUShares", new UInt64Value(shares)));
        AddAll(r.Cpu?.Quota is null or 0 ? $"{cpuField}.period" : $"{cpuField}.quota", CpuQuota(r.Cpu?.Quota ?? 0, r.Cpu?.Period ?? 0, facts));

        if (r.BlockIO?.Weight is { } weight and not 0)
            Add("linux.resources.blockIO.weight", v2 ? new UnitProperty("IOWeight", new UInt64Value(BlockIoLimits.IoWeightOf(weight))) : new UnitProperty("BlockIOWeight", new UInt64Value(weight)));

        if (r.Pids?.Limit is { } pids && (pids > 0 || pids == -1))
            Add("linux.resources.pids.limit", new("TasksMax", new UInt64Value(Unsigned(pids))));

        if (facts.HasAllowedCpus)
        {
            if (r.Cpu?.Cpus is { Length: > 0 } cpus) Add($"{cpuField}.cpus", new("AllowedCPUs", new ByteArrayValue(Mask(cpus, $"{cpuField}.cpus"))));
            if (r.Cpu?.Mems is { Length: > 0 } mems) Add($"{cpuField}.mems", new("AllowedMemoryNodes", new ByteArrayValue(Mask(mems, $"{cpuField}.mems"))));
        }

        // v1 has no unified files (the cgroupfs writer refuses them where there is no v2 tree).
        if (v2 && r.Unified is { } unified) planned.AddRange(UnifiedProperties.Of(unified, facts));
        return planned;
    }

    // -1 (unlimited) is systemd's infinity, UINT64_MAX, as Go's uint64(-1) is in runc.
    private static ulong Unsigned(long value) => unchecked((ulong)value);

    internal const ulong DefaultCpuPeriod = 100_000;

    /// <summary>
    /// CPUQuotaPerSecUSec is quota per second of time, which systemd keeps as a
    /// whole percent: rounded up to 10 ms, as runc does, so the cgroup's own
    /// quota (written to the files after) fits under it. Infinity for no quota.
    /// </summary>
    internal static IEnumerable<UnitProperty> CpuQuota(long quota, ulong period, SystemdFacts facts)
    {
        if (period != 0 && facts.HasCpuQuotaPeriod) yield return new("CPUQuotaPeriodUSec", new UInt64Value(period));
        if (quota == 0 && period == 0) yield break;
        var perSecond = ulong.MaxValue;
        if (quota > 0)
        {
            perSecond = (ulong)quota * 1_000_000 / (period == 0 ? DefaultCpuPeriod : period);
            if (perSecond % 10_000 != 0) perSecond = (perSecond / 10_000 + 1) * 10_000;
        }
        yield return new("CPUQuotaPerSecUSec", new UInt64Value(perSecond));
    }

    /// <summary>"0-3,8" as systemd's mask: byte i bit j is CPU (or node) 8i+j, no trailing zero bytes.</summary>
    public static IReadOnlyList<byte> Mask(string list, string field)
    {
        var numbers = new List<int>();
        if (!Kernel.NumberList.TryParse(list, 8192, numbers))
            throw new ContainerError($"{field}: \"{list}\" is not a list of CPUs or nodes (e.g. \"0-3,8\")");
        var bytes = new List<byte>();
        foreach (var n in numbers)
        {
            while (bytes.Count <= n / 8) bytes.Add(0);
            bytes[n / 8] |= (byte)(1 << (n % 8));
        }
        return bytes;
    }

    /// <summary>
    /// DevicePolicy and DeviceAllow for the effective rules, as runc: strict with
    /// the allowed devices when the rules are an allow-list; auto with no entries
    /// when they allow everything; strict with none (and a warning) for a deny-list
    /// systemd cannot say. The cgroupfs rules written after are exact either way.
    /// </summary>
    public static IReadOnlyList<UnitProperty> DeviceProperties(IReadOnlyList<DeviceRule> rules, SystemdFacts facts, Action<string> warn)
    {
        var allowList = true;
        var listed = new List<DeviceRule>(); // allowed in an allow-list, denied in a deny-list
        foreach (var rule in rules)
        {
            if (IsEveryDevice(rule))
            {
                allowList = !rule.Allow;
                listed.Clear();
                continue;
            }
            if (rule.Allow == allowList) listed.Add(rule);
            else listed.RemoveAll(r => r.Type == rule.Type && r.Major == rule.Major && r.Minor == rule.Minor);
        }
        if (!allowList)
        {
            if (listed.Count == 0) return [new("DevicePolicy", new StringValue("auto")), new("DeviceAllow", new DeviceAllowValue([]))];
            warn("systemd doesn't support blacklist device rules -- applying temporary deny-all rule");
            return [new("DevicePolicy", new StringValue("strict")), new("DeviceAllow", new DeviceAllowValue([]))];
        }
        var entries = new List<DeviceAllowEntry>();
        foreach (var rule in listed)
            if (DevicePath(rule, facts, warn) is { } path)
                entries.Add(new(path, string.IsNullOrEmpty(rule.Access) ? "rwm" : rule.Access));
        return [new("DevicePolicy", new StringValue("strict")), new("DeviceAllow", new DeviceAllowValue(entries))];
    }

    private static bool IsEveryDevice(DeviceRule r) =>
        (string.IsNullOrEmpty(r.Type) || r.Type == "a") && r.Major is null or < 0 && r.Minor is null or < 0;

    // How DeviceAllow names a rule's devices: a type's glob, a major's group from /proc/devices, or the node's path.
    private static string? DevicePath(DeviceRule rule, SystemdFacts facts, Action<string> warn)
    {
        var (kind, group) = rule.Type switch
        {
            "c" => ("char", "Character devices:"),
            "b" => ("block", "Block devices:"),
            _ => ("", ""),
        };
        var major = rule.Major is { } ma && ma >= 0 ? ma : (long?)null;
        var minor = rule.Minor is { } mi && mi >= 0 ? mi : (long?)null;
        if (kind.Length == 0)
        {
            warn($"systemd doesn't support device rules of type 'a' with a major or minor -- temporarily ignoring it");
            return null;
        }
        if (major is null)
        {
            if (minor is null) return kind + "-*";
            warn($"systemd doesn't support '*:{minor}' device rules -- temporarily ignoring rule {rule.Type} *:{minor}");
            return null;
        }
        if (minor is null)
        {
            if (GroupOf(facts.ProcDevices, group, major.Value) is { } name) return $"{kind}-{name}";
            warn($"could not find device group for '{rule.Type}/{major}' in /proc/devices -- temporarily ignoring it");
            return null;
        }
        var node = $"/dev/{kind}/{major}:{minor}";
        if (facts.DeviceExists(node)) return node;
        warn($"skipping device {node} for systemd: no such device");
        return null;
    }

    // /proc/devices: a "Character devices:" section, then a "Block devices:" one, of "  1 mem" lines.
    internal static string? GroupOf(string procDevices, string section, long major)
    {
        var inSection = false;
        foreach (var raw in procDevices.Split('\n'))
        {
            var line = raw.Trim();
            if (line.EndsWith(':')) { inSection = line == section; continue; }
            if (!inSection) continue;
            var fields = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2 && long.TryParse(fields[0], out var m) && m == major) return fields[1].Trim();
        }
        return null;
    }
}
