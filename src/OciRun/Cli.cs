using System.CommandLine;
using LibContainer;
using OciRun.Commands;

namespace OciRun;

/// <summary>The command tree: runc's verbs with runc's flags.</summary>
public static class Cli
{
    private static readonly (string Name, Func<CommandContext, Command> Build)[] Verbs =
    [
        ("create", CreateCommand.Build), ("start", StartCommand.Build), ("run", RunCommand.Build),
        ("state", StateCommand.Build), ("list", ListCommand.Build), ("kill", KillCommand.Build),
        ("delete", DeleteCommand.Build), ("ps", PsCommand.Build), ("spec", SpecCommand.Build),
        ("features", FeaturesCommand.Build),
    ];

    /// <summary>
    /// The command tree. When `args` names a verb, only that verb is built:
    /// oci-run starts for every container operation, and building the other
    /// commands would be start-up work the call does not use.
    /// </summary>
    public static RootCommand Build(string[] args)
    {
        var global = new GlobalOptions();
        var root = new RootCommand("oci-run: an OCI container runtime, command compatible with runc");
        // runc's --version shape, which containerd's client parses; not System.CommandLine's own.
        foreach (var option in root.Options.OfType<VersionOption>().ToList()) root.Options.Remove(option);
        var version = new Option<bool>("--version", "-v") { Description = "print the version" };
        root.Options.Add(version);
        foreach (var option in global.All) root.Options.Add(option);
        root.SetAction(result =>
        {
            if (result.GetValue(version)) return VersionCommand.Print();
            Console.Error.WriteLine("oci-run: no command given; see `oci-run --help`");
            return 1;
        });

        var context = new CommandContext(global);
        var verb = FirstPositional(args);
        foreach (var (name, build) in Verbs)
            if (verb is null || name == verb || !Verbs.Any(v => v.Name == verb))
                root.Subcommands.Add(build(context));
        return root;
    }

    /// <summary>The first argument that is neither a global flag nor its value: the verb, if any.</summary>
    private static string? FirstPositional(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--root" or "--log" or "--log-format") { i++; continue; }
            if (!args[i].StartsWith('-')) return args[i];
        }
        return null;
    }
}

/// <summary>What every command needs: the global options and one way to run and report.</summary>
public sealed class CommandContext(GlobalOptions global)
{
    public GlobalOptions Global => global;

    /// <summary>Runs a command body; a ContainerError becomes a one-line message and exit status 1.</summary>
    public int Run(ParseResult result, Func<Containers, int> body)
    {
        var reporter = global.ReporterFor(result);
        reporter.DebugLine($"{string.Join(' ', result.Tokens.Select(t => t.Value))}: started");
        try
        {
            if (result.GetValue(global.SystemdCgroup))
                throw new ContainerError("--systemd-cgroup: the systemd cgroup driver is not supported yet");
            var root = result.GetValue(global.Root) ?? GlobalOptions.DefaultRoot;
            var status = body(new Containers(Path.GetFullPath(root)));
            reporter.DebugLine($"done, exit status {status}");
            return status;
        }
        catch (ContainerError e)
        {
            return reporter.Error(e.Message);
        }
    }
}
