using LibContainer;

namespace OciRun.CommandLine;

/// <summary>What a verb runs with: its arguments and the containers under --root.</summary>
public sealed class Invocation(ParsedArguments arguments, string root, Action<string>? warn = null, Action<string>? debug = null)
{
    private Containers? _containers;

    public ParsedArguments Arguments => arguments;

    public string? Get(StringFlag flag) => arguments.Get(flag);

    public bool Get(SwitchFlag flag) => arguments.Get(flag);

    public IReadOnlyList<string> Get(ListFlag flag) => arguments.Get(flag);

    public bool IsSet(Flag flag) => arguments.IsSet(flag);

    public int Get(NonNegativeIntFlag flag) => arguments.Get(flag);

    public TimeSpan Get(DurationFlag flag) => arguments.Get(flag);

    /// <summary>The containers under --root, for the verbs that use them (spec and features do not).</summary>
    public Containers Containers => _containers ??= Open(root, warn, debug);

    /// <summary>The first positional argument, which for most verbs is the container ID.</summary>
    public string Id => arguments.Positional[0];

    private static Containers Open(string root, Action<string>? warn, Action<string>? debug)
    {
        // runc makes --root before any command on containers and fails as mkdir does
        // when something in the way is not a directory; so does oci-run, in runc's words.
        for (var path = root; !string.IsNullOrEmpty(path); path = Path.GetDirectoryName(path))
        {
            if (Directory.Exists(path)) break;
            if (File.Exists(path)) throw new ContainerError($"mkdir {path}: not a directory");
        }
        return new Containers(root, warn, debug);
    }
}
