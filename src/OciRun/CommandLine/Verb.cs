namespace OciRun.CommandLine;

/// <summary>
/// A subcommand: its flags, how many positional arguments it takes, and what
/// it does. `RestAreArguments`: after the first positional argument nothing is
/// a flag any more (`ps ID -ef` hands -ef to ps, as runc does).
/// </summary>
public sealed record Verb(string Name, string Summary, string Usage, Flag[] Flags, int MinArgs, int MaxArgs, Func<Invocation, int> Run)
{
    public const int Unlimited = int.MaxValue;

    public bool RestAreArguments { get; init; }
}
