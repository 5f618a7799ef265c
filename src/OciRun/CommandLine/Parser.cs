namespace OciRun.CommandLine;

/// <summary>The outcome of parsing: the verb (null when none was named), the arguments, and the first error, if any.</summary>
public sealed record Parsed(Verb? Verb, ParsedArguments Arguments, string? Error, bool HelpAsked);

/// <summary>
/// runc's command line: global flags, a verb, its flags and arguments. Flags
/// may come before or after the verb and its arguments; `--name=VALUE` and
/// `--name VALUE` both work, and so does Go's single-dash `-name`; `--` ends
/// the flags. Nothing here touches a container.
/// </summary>
public static class Parser
{
    public static Parsed Parse(string[] args, Flag[] globals, IReadOnlyList<Verb> verbs)
    {
        // By long name, which is unique on a command line; a flag given twice: the last one counts, as in Go's flag package.
        var values = new Dictionary<string, string>();
        var lists = new Dictionary<string, List<string>>();
        var positional = new List<string>();
        var known = new List<Flag>(globals);
        Verb? verb = null;
        string? error = null;
        var help = false;
        var flagsEnded = false;

        for (var i = 0; i < args.Length && error is null; i++)
        {
            var arg = args[i];
            if (flagsEnded || arg.Length < 2 || arg[0] != '-')
            {
                if (verb is null)
                {
                    verb = Find(verbs, arg);
                    if (verb is null) error = $"unknown command \"{arg}\": see `oci-run --help`";
                    else known.AddRange(verb.Flags);
                }
                else
                {
                    positional.Add(arg);
                    flagsEnded |= verb.RestAreArguments;
                }
                continue;
            }
            if (arg == "--")
            {
                flagsEnded = true;
                continue;
            }

            var name = arg.StartsWith("--") ? arg[2..] : arg[1..];
            string? inline = null;
            if (name.IndexOf('=') is var eq and > 0)
            {
                inline = name[(eq + 1)..];
                name = name[..eq];
            }
            if (name is "help" or "h")
            {
                help = true;
                continue;
            }
            var flag = FindFlag(known, name);
            if (flag is null)
            {
                error = verb is null ? $"flag provided but not defined: {arg}" : $"{verb.Name}: flag provided but not defined: {arg}";
                continue;
            }
            if (flag.TakesValue)
            {
                if (inline is null && i + 1 >= args.Length) error = $"flag needs an argument: --{flag.Name}";
                else if (flag is ListFlag)
                {
                    if (!lists.TryGetValue(flag.Name, out var list)) lists[flag.Name] = list = [];
                    list.Add(inline ?? args[++i]);
                }
                else values[flag.Name] = inline ?? args[++i];
            }
            else if (inline is null or "true" or "false") values[flag.Name] = inline ?? "true";
            else error = $"invalid boolean value \"{inline}\" for --{flag.Name}";
        }

        if (error is null && !help && verb is not null)
            error = CheckCount(verb, positional.Count);
        return new Parsed(verb, new ParsedArguments(values, positional, known, lists), error, help);
    }

    private static string? CheckCount(Verb verb, int count)
    {
        if (count >= verb.MinArgs && count <= verb.MaxArgs) return null;
        var expected = verb.MinArgs == verb.MaxArgs ? $"exactly {verb.MinArgs}"
            : count < verb.MinArgs ? $"at least {verb.MinArgs}" : $"at most {verb.MaxArgs}";
        return $"\"{verb.Name}\" requires {expected} argument(s): usage: oci-run {verb.Name} {verb.Usage}";
    }

    private static Verb? Find(IReadOnlyList<Verb> verbs, string name)
    {
        foreach (var verb in verbs)
            if (verb.Name == name) return verb;
        return null;
    }

    private static Flag? FindFlag(List<Flag> flags, string name)
    {
        foreach (var flag in flags)
            if (flag.Matches(name)) return flag;
        return null;
    }
}
