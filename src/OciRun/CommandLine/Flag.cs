namespace OciRun.CommandLine;

/// <summary>
/// One flag: `--name`, with an optional one-letter alias. The parser only needs
/// what is here; a verb declares each flag once as one of the typed kinds below
/// and reads it back with that same object (`call.Get(PidFile)`), so a flag's
/// name is spelled in one place only.
/// </summary>
public abstract class Flag(string name, string description, char? shortName, string? valueName, string? defaultValue)
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    public char? Short { get; } = shortName;

    /// <summary>What help calls the value (`--bundle DIR`); null for a switch, which takes none.</summary>
    public string? ValueName { get; } = valueName;

    /// <summary>The value when the flag is not given, as help shows it; null for none.</summary>
    public string? Default { get; } = defaultValue;

    public bool TakesValue => ValueName is not null;

    public bool Matches(string name) =>
        name == Name || (Short is { } s && name.Length == 1 && name[0] == s);
}

/// <summary>A flag with a text value, from `--name=VALUE` or the next argument; read as string?.</summary>
public sealed class StringFlag(string Name, string Description, string ValueName, char? Short = null, string? Default = null)
    : Flag(Name, Description, Short, ValueName, Default);

/// <summary>A switch: `--name`, or `--name=true|false`; read as bool, false when absent.</summary>
public sealed class SwitchFlag(string Name, string Description, char? Short = null)
    : Flag(Name, Description, Short, null, null);

/// <summary>A flag whose value must be a non-negative integer; read as int, 0 when absent.</summary>
public sealed class NonNegativeIntFlag(string Name, string Description, string ValueName, char? Short = null)
    : Flag(Name, Description, Short, ValueName, null);

/// <summary>A flag whose value is a Go duration ("5s", "500ms", "1m30s"); read as TimeSpan, its default when absent.</summary>
public sealed class DurationFlag(string Name, string Description, string ValueName, string Default, char? Short = null)
    : Flag(Name, Description, Short, ValueName, Default);

/// <summary>A flag that may be given many times (`-e A=1 -e B=2`); read as the list of values, in order.</summary>
public sealed class ListFlag(string Name, string Description, string ValueName, char? Short = null)
    : Flag(Name, Description, Short, ValueName, null);
