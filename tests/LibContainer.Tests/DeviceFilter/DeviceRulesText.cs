using LibContainer.Spec;

namespace LibContainer.Tests.DeviceFilter;

/// <summary>Device rules written as short text, "deny a" or "allow c 1:* rw", so a test reads like a devices.list.</summary>
internal static class DeviceRulesText
{
    public static List<DeviceRule> Parse(params string[] rules)
    {
        var list = new List<DeviceRule>();
        foreach (var text in rules)
        {
            var parts = text.Split(' ');
            var numbers = parts.Length > 2 ? parts[2].Split(':') : ["*", "*"];
            list.Add(new DeviceRule
            {
                Allow = parts[0] switch { "allow" => true, "deny" => false, _ => throw new ArgumentException(text) },
                Type = parts[1],
                Major = numbers[0] == "*" ? null : long.Parse(numbers[0]),
                Minor = numbers[1] == "*" ? null : long.Parse(numbers[1]),
                Access = parts.Length > 3 ? parts[3] : "rwm",
            });
        }
        return list;
    }
}
