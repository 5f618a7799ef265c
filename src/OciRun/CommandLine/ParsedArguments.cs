using LibContainer;

namespace OciRun.CommandLine;

/// <summary>
/// What the command line said: the flags given and the positional arguments.
/// A flag is read by the object that declares it, as its type: string?, bool, int or TimeSpan.
/// </summary>
public sealed class ParsedArguments(Dictionary<string, string> flags, List<string> positional, IReadOnlyList<Flag> known, Dictionary<string, List<string>>? lists = null)
{
    public IReadOnlyList<string> Positional => positional;

    /// <summary>The positional arguments from `index` on.</summary>
    public string[] PositionalFrom(int index) => positional.GetRange(index, positional.Count - index).ToArray();

    /// <summary>The flag's value, its default if it was not given, or null.</summary>
    public string? Get(StringFlag flag) => Given(flag) ?? flag.Default;

    public bool Get(SwitchFlag flag) => Given(flag) == "true";

    /// <summary>Every value given for the flag, in order; empty when it was not given.</summary>
    public IReadOnlyList<string> Get(ListFlag flag)
    {
        Given(flag); // checks that the verb declared it
        return lists is not null && lists.TryGetValue(flag.Name, out var values) ? values : [];
    }

    /// <summary>Whether the flag was on the command line at all (runc's IsSet).</summary>
    public bool IsSet(Flag flag) => Given(flag) is not null || (lists?.ContainsKey(flag.Name) ?? false);

    /// <summary>The flag's value, or 0 if it was not given; checked here, when the verb reads it, as before.</summary>
    public int Get(NonNegativeIntFlag flag)
    {
        var text = Given(flag);
        if (text is null) return 0;
        return int.TryParse(text, out var n) && n >= 0
            ? n
            : throw new ContainerError($"invalid value \"{text}\" for flag --{flag.Name}: expected a non-negative integer");
    }

    /// <summary>The flag's duration, or its default's; checked here, when the verb reads it.</summary>
    public TimeSpan Get(DurationFlag flag)
    {
        var text = Given(flag) ?? flag.Default!;
        return GoDuration.Parse(text)
            ?? throw new ContainerError($"invalid value \"{text}\" for flag --{flag.Name}: expected a duration such as 5s, 500ms or 1m30s");
    }

    private string? Given(Flag flag)
    {
        foreach (var k in known)
            if (ReferenceEquals(k, flag)) return flags.TryGetValue(flag.Name, out var value) ? value : null;
        // A programming error, not the user's: the verb reads a flag it did not declare.
        throw new ArgumentException($"flag --{flag.Name} is not one of this command line's", nameof(flag));
    }
}
