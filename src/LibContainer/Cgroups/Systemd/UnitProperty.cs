using System.Globalization;

namespace LibContainer.Cgroups.Systemd;

/// <summary>A D-Bus value a unit property takes, with its signature: the few kinds systemd's cgroup properties use.</summary>
public abstract record UnitValue
{
    public abstract string Signature { get; }

    /// <summary>How tests and errors show it, e.g. "t 1048576".</summary>
    public abstract string Text { get; }
}

public sealed record StringValue(string Value) : UnitValue
{
    public override string Signature => "s";
    public override string Text => $"s \"{Value}\"";
}

public sealed record BoolValue(bool Value) : UnitValue
{
    public override string Signature => "b";
    public override string Text => Value ? "b true" : "b false";
}

public sealed record UInt64Value(ulong Value) : UnitValue
{
    public override string Signature => "t";
    public override string Text => "t " + Value.ToString(CultureInfo.InvariantCulture);
}

public sealed record UInt32ArrayValue(IReadOnlyList<uint> Values) : UnitValue
{
    public override string Signature => "au";
    public override string Text => "au [" + string.Join(", ", Values) + "]";
}

public sealed record StringArrayValue(IReadOnlyList<string> Values) : UnitValue
{
    public override string Signature => "as";
    public override string Text => "as [" + string.Join(", ", Values) + "]";
}

/// <summary>A cpu or memory-node mask: byte i bit j is CPU 8i+j (systemd's AllowedCPUs).</summary>
public sealed record ByteArrayValue(IReadOnlyList<byte> Values) : UnitValue
{
    public override string Signature => "ay";
    public override string Text => "ay [" + string.Join(", ", Values) + "]";
}

/// <summary>DeviceAllow's entries: a device path or group and its access ("rwm").</summary>
public sealed record DeviceAllowValue(IReadOnlyList<DeviceAllowEntry> Entries) : UnitValue
{
    public override string Signature => "a(ss)";
    public override string Text
    {
        get
        {
            var parts = new List<string>();
            foreach (var e in Entries) parts.Add($"{e.Path} {e.Access}");
            return "a(ss) [" + string.Join(", ", parts) + "]";
        }
    }
}

public sealed record DeviceAllowEntry(string Path, string Access);

/// <summary>One property of a unit, as StartTransientUnit and SetUnitProperties take it.</summary>
public sealed record UnitProperty(string Name, UnitValue Value)
{
    public override string ToString() => $"{Name}={Value.Text}";
}

/// <summary>A property the plan asks for, with the config field it comes from (named when systemd refuses it).</summary>
public sealed record PlannedProperty(UnitProperty Property, string Field);
