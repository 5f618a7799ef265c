using System.CommandLine;
using LibContainer;
using OciRun.Commands;

namespace OciRun;

/// <summary>The command tree: runc's verbs with runc's flags.</summary>
public static class Cli
{
    public static RootCommand Build()
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
        root.Subcommands.Add(CreateCommand.Build(context));
        root.Subcommands.Add(StartCommand.Build(context));
        root.Subcommands.Add(RunCommand.Build(context));
        root.Subcommands.Add(StateCommand.Build(context));
        root.Subcommands.Add(ListCommand.Build(context));
        root.Subcommands.Add(KillCommand.Build(context));
        root.Subcommands.Add(DeleteCommand.Build(context));
        root.Subcommands.Add(SpecCommand.Build(context));
        return root;
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
        try
        {
            if (result.GetValue(global.SystemdCgroup))
                throw new ContainerError("--systemd-cgroup: the systemd cgroup driver is not supported yet");
            var root = result.GetValue(global.Root) ?? GlobalOptions.DefaultRoot;
            return body(new Containers(Path.GetFullPath(root)));
        }
        catch (ContainerError e)
        {
            return reporter.Error(e.Message);
        }
    }
}
