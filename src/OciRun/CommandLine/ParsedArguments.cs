using LibContainer;

namespace OciRun.CommandLine;

/// <summary>What the command line said: the flags given (by long name) and the positional arguments.</summary>
public sealed class ParsedArguments(Dictionary<string, string> flags, List<string> positional, IReadOnlyList<Flag> known)
{
    public IReadOnlyList<string> Positional => positional;

    /// <summary>The positional arguments from `index` on.</summary>
    public string[] PositionalFrom(int index) => positional.GetRange(index, positional.Count - index).ToArray();

    /// <summary>The flag's value, its default if it was not given, or null.</summary>
    public string? Value(string name) =>
        flags.TryGetValue(name, out var value) ? value : Find(name).Default;

    public bool Switch(string name) => flags.TryGetValue(name, out var value) && value == "true";

    public int NonNegativeInt(string name)
    {
        var text = Value(name);
        if (text is null) return 0;
        return int.TryParse(text, out var n) && n >= 0
            ? n
            : throw new ContainerError($"invalid value \"{text}\" for flag --{name}: expected a non-negative integer");
    }

    private Flag Find(string name)
    {
        foreach (var flag in known)
            if (flag.Name == name) return flag;
        throw new ArgumentException($"no flag --{name} is defined", nameof(name)); // a programming error, not the user's
    }
}
