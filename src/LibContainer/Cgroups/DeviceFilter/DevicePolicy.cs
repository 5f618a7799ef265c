using LibContainer.Spec;

namespace LibContainer.Cgroups.DeviceFilter;

/// <summary>
/// Where cgroup v1's devices controller ends after a rule list is written to
/// devices.allow and devices.deny in order (DeviceRules.PlanV1): a default for
/// every device (allow or deny) and the exceptions to it. On v1 the kernel
/// keeps this state; on v2 the device program is generated from it, so both
/// give the same answer to every access.
/// </summary>
internal sealed record DevicePolicy(bool DefaultAllow, IReadOnlyList<ExceptedDevices> Exceptions)
{
    /// <summary>
    /// Replays the rules as the kernel applies each write, starting from what a
    /// new cgroup under an unrestricted parent has: every device allowed.
    /// </summary>
    public static DevicePolicy FromRules(IEnumerable<DeviceRule> rules)
    {
        var defaultAllow = true;
        var exceptions = new List<ExceptedDevices>();
        foreach (var rule in rules)
        {
            if (Parse(rule) is not { } exception)
            {
                // "a ...": the default becomes the rule's and the exceptions are dropped.
                defaultAllow = rule.Allow;
                exceptions.Clear();
            }
            else if (rule.Allow == defaultAllow)
            {
                // A rule that agrees with the default takes its access away from the exception with the very same pattern
                // (only that one: a narrower rule does not punch a hole in a wildcard exception, as on v1).
                Remove(exceptions, exception);
            }
            else
            {
                Add(exceptions, exception);
            }
        }
        return new DevicePolicy(defaultAllow, exceptions);
    }

    private static void Add(List<ExceptedDevices> exceptions, ExceptedDevices added)
    {
        var i = IndexOfPattern(exceptions, added);
        if (i < 0) exceptions.Add(added);
        else exceptions[i] = exceptions[i] with { Access = exceptions[i].Access | added.Access };
    }

    private static void Remove(List<ExceptedDevices> exceptions, ExceptedDevices removed)
    {
        var i = IndexOfPattern(exceptions, removed);
        if (i < 0) return;
        var left = exceptions[i].Access & ~removed.Access;
        if (left == DeviceAccess.None) exceptions.RemoveAt(i);
        else exceptions[i] = exceptions[i] with { Access = left };
    }

    private static int IndexOfPattern(List<ExceptedDevices> exceptions, ExceptedDevices pattern)
    {
        for (var i = 0; i < exceptions.Count; i++)
            if (exceptions[i].SamePattern(pattern)) return i;
        return -1;
    }

    /// <summary>
    /// A rule read as the kernel reads its v1 line ("c 1:3 rwm"): null for a
    /// type "a" line, which v1 takes as all devices with all access whatever
    /// follows the "a".
    /// </summary>
    private static ExceptedDevices? Parse(DeviceRule rule)
    {
        DeviceType type;
        switch (rule.Type)
        {
            case null or "" or "a": return null;
            case "b": type = DeviceType.Block; break;
            case "c": type = DeviceType.Char; break;
            default: throw new ContainerError($"linux.resources.devices: device type \"{rule.Type}\" is not a, b or c");
        }
        return new ExceptedDevices(type, Number(rule.Major, "major"), Number(rule.Minor, "minor"), Access(rule.Access));
    }

    // Unset or negative is "*" (DeviceRules writes it so); the kernel takes a 32-bit number, and ~0 is its "*" too.
    private static uint Number(long? value, string what) => value switch
    {
        null or < 0 => ExceptedDevices.Wildcard,
        > uint.MaxValue => throw new ContainerError($"linux.resources.devices: {what} number {value} is out of range (at most {uint.MaxValue})"),
        _ => (uint)value.Value,
    };

    // Unset is "rwm" (DeviceRules writes it so). The kernel reads at most three letters of a v1 line and ignores the
    // rest, so "rrwm" grants r and w only; the same here, so that v2 does what v1 does.
    private static DeviceAccess Access(string? text)
    {
        if (string.IsNullOrEmpty(text)) return DeviceAccess.All;
        var access = DeviceAccess.None;
        foreach (var letter in text.AsSpan(0, Math.Min(text.Length, 3)))
        {
            access |= letter switch
            {
                'r' => DeviceAccess.Read,
                'w' => DeviceAccess.Write,
                'm' => DeviceAccess.Mknod,
                _ => throw new ContainerError($"linux.resources.devices: access \"{text}\" is not made of r, w and m"),
            };
        }
        return access;
    }
}
