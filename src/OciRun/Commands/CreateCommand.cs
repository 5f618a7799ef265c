using System.CommandLine;
using LibContainer;

namespace OciRun.Commands;

/// <summary>The flags `create` and `run` share.</summary>
public sealed class CreateFlags
{
    public Argument<string> Id { get; } = new("container-id") { Description = "the container's unique name" };
    public Option<string> Bundle { get; } = new("--bundle", "-b") { Description = "path to the root of the bundle directory", DefaultValueFactory = _ => "." };
    public Option<string?> PidFile { get; } = new("--pid-file") { Description = "file to write the process id to" };
    public Option<bool> NoPivot { get; } = new("--no-pivot") { Description = "do not use pivot_root to jail the process inside the rootfs" };
    public Option<int> PreserveFds { get; } = new("--preserve-fds") { Description = "pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total)" };
    public Option<string?> ConsoleSocket { get; } = new("--console-socket") { Description = "path to an AF_UNIX socket which will receive the pty master" };
    public Option<string?> PidfdSocket { get; } = new("--pidfd-socket") { Description = "path to an AF_UNIX socket which will receive the init's pidfd" };
    public Option<bool> NoNewKeyring { get; } = new("--no-new-keyring") { Description = "do not create a new session keyring (oci-run never creates one)" };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Id);
        foreach (var o in new Option[] { Bundle, PidFile, NoPivot, PreserveFds, ConsoleSocket, PidfdSocket, NoNewKeyring })
            command.Options.Add(o);
    }

    public CreateOptions Read(ParseResult result)
    {
        if (result.GetValue(ConsoleSocket) is not null)
            throw new ContainerError("--console-socket: terminals are not supported yet");
        if (result.GetValue(PidfdSocket) is not null)
            throw new ContainerError("--pidfd-socket: not supported yet");
        var preserve = result.GetValue(PreserveFds);
        if (int.TryParse(Environment.GetEnvironmentVariable("LISTEN_FDS"), out var listen) && listen > 0)
            preserve += listen; // systemd socket activation fds go through, as with runc
        return new CreateOptions(result.GetValue(Id)!, result.GetValue(Bundle)!)
        {
            PidFile = result.GetValue(PidFile),
            NoPivot = result.GetValue(NoPivot),
            PreserveFds = preserve,
        };
    }
}

public static class CreateCommand
{
    public static Command Build(CommandContext context)
    {
        var command = new Command("create", "create a container");
        var flags = new CreateFlags();
        flags.AddTo(command);
        command.SetAction(result => context.Run(result, containers =>
        {
            containers.Create(flags.Read(result));
            return 0;
        }));
        return command;
    }
}
