using LibContainer;
using OciRun.CommandLine;
using OciRun.Commands;

namespace OciRun;

/// <summary>runc's verbs with runc's flags: parses the command line, runs the verb, reports its error.</summary>
public static class Cli
{
    private static readonly Verb[] Verbs =
    [
        CreateCommand.Verb, StartCommand.Verb, RunCommand.Verb, StateCommand.Verb, ListCommand.Verb,
        KillCommand.Verb, DeleteCommand.Verb, PsCommand.Verb, UpdateCommand.Verb, PauseCommand.Verb, ResumeCommand.Verb, EventsCommand.Verb,
        ExecCommand.Verb, SpecCommand.Verb, FeaturesCommand.Verb,
    ];

    public static int Run(string[] args) => Run(args, Verbs);

    /// <summary>
    /// The one error boundary: whatever fails, from parsing to the verb, ends as
    /// one line on stderr (and in --log) and exit status 1. `verbs` is the set
    /// to parse against; tests hand in their own.
    /// </summary>
    public static int Run(string[] args, IReadOnlyList<Verb> verbs)
    {
        Reporter? reporter = null;
        var debug = false;
        Verb? running = null;
        try
        {
            var parsed = Parser.Parse(args, GlobalFlags.All, verbs);
            var arguments = parsed.Arguments;
            debug = arguments.Get(GlobalFlags.Debug);
            // As with runc, help and --version work whatever --log and --log-format say.
            if (parsed.HelpAsked)
            {
                StandardOutput.Write(Help.For(parsed.Verb, GlobalFlags.All, verbs));
                return 0;
            }
            if (parsed is { Error: null, Verb: null } && arguments.Get(GlobalFlags.Version)) return VersionCommand.Print();
            reporter = Reporter.Open(arguments.Get(GlobalFlags.Log), arguments.Get(GlobalFlags.LogFormat), debug);
            if (parsed.Error is { } error) return reporter.Error(error);
            if (parsed.Verb is not { } verb) return reporter.Error("no command given; see `oci-run --help`");

            reporter.DebugLine($"{string.Join(' ', args)}: started");
            var root = arguments.Get(GlobalFlags.Root)!;
            if (root.Length == 0) throw new ContainerError($"--{GlobalFlags.Root.Name}: the path must not be empty");
            running = verb;
            var status = verb.Run(new Invocation(arguments, Path.GetFullPath(root), reporter.Warning, reporter.Debug ? reporter.DebugLine : null));
            reporter.DebugLine($"done, exit status {status}");
            return status;
        }
        catch (Exception e)
        {
            reporter ??= Reporter.StderrOnly(debug); // --log itself may be what failed
            var (prefix, failure) = running is null ? ("", 1) : (running.FailurePrefix, running.FailureStatus);
            if (e is ContainerError) return reporter.Error(prefix + e.Message, failure);
            // Not an error the runtime expected: say what it was; the stack only with --debug.
            foreach (var line in (e.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
                reporter.DebugLine(line.Trim());
            return reporter.Error($"{prefix}internal error: {e.GetType().Name}: {e.Message}", failure);
        }
        finally
        {
            reporter?.Dispose();
        }
    }
}
