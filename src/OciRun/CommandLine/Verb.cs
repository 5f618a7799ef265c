namespace OciRun.CommandLine;

/// <summary>
/// A subcommand: its flags, how many positional arguments it takes, and what
/// it does. `RestAreArguments`: after the first positional argument nothing is
/// a flag any more (`ps ID -ef` hands -ef to ps, as runc does).
/// A verb's failure is reported with its FailurePrefix and FailureStatus.
/// </summary>
public sealed record Verb(string Name, string Summary, string Usage, Flag[] Flags, int MinArgs, int MaxArgs, Func<Invocation, int> Run)
{
    public const int Unlimited = int.MaxValue;

    public bool RestAreArguments { get; init; }

    /// <summary>The exit status of a failure once the verb runs (runc's exec: 255).</summary>
    public int FailureStatus { get; init; } = 1;

    /// <summary>Put before the message of a failure once the verb runs (runc's exec: "exec failed: ").</summary>
    public string FailurePrefix { get; init; } = "";
}
