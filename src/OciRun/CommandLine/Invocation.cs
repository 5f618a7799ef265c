using LibContainer;

namespace OciRun.CommandLine;

/// <summary>What a verb runs with: its arguments and the containers under --root.</summary>
public sealed class Invocation(ParsedArguments arguments, string root)
{
    public ParsedArguments Arguments => arguments;

    public Containers Containers { get; } = new(root);

    /// <summary>The first positional argument, which for most verbs is the container ID.</summary>
    public string Id => arguments.Positional[0];
}
