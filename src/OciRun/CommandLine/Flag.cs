namespace OciRun.CommandLine;

/// <summary>
/// One flag: `--name`, with an optional one-letter alias. A flag that takes a
/// value reads it from `--name=VALUE` or the next argument; one that does not
/// is a switch (`--name`, or `--name=true|false`).
/// </summary>
public sealed record Flag(string Name, string Description, char? Short = null, string? ValueName = null, string? Default = null)
{
    public bool TakesValue => ValueName is not null;

    public bool Matches(string name) =>
        name == Name || (Short is { } s && name.Length == 1 && name[0] == s);
}
