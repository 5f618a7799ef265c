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
        KillCommand.Verb, DeleteCommand.Verb, PsCommand.Verb, SpecCommand.Verb, FeaturesCommand.Verb,
    ];

    public static int Run(string[] args)
    {
        var parsed = Parser.Parse(args, GlobalFlags.All, Verbs);
        var arguments = parsed.Arguments;
        var reporter = new Reporter(arguments.Value(GlobalFlags.Log), arguments.Value(GlobalFlags.LogFormat)!, arguments.Switch(GlobalFlags.Debug));
        if (parsed.HelpAsked)
        {
            StandardOutput.Write(Help.For(parsed.Verb, GlobalFlags.All, Verbs));
            return 0;
        }
        if (parsed.Error is { } error) return reporter.Error(error);
        if (parsed.Verb is not { } verb)
        {
            if (arguments.Switch(GlobalFlags.Version)) return VersionCommand.Print();
            return reporter.Error("no command given; see `oci-run --help`");
        }

        reporter.DebugLine($"{string.Join(' ', args)}: started");
        try
        {
            if (arguments.Switch(GlobalFlags.SystemdCgroup))
                throw new ContainerError("--systemd-cgroup: the systemd cgroup driver is not supported yet");
            var status = verb.Run(new Invocation(arguments, Path.GetFullPath(arguments.Value(GlobalFlags.Root)!)));
            reporter.DebugLine($"done, exit status {status}");
            return status;
        }
        catch (ContainerError e)
        {
            return reporter.Error(e.Message);
        }
    }
}
