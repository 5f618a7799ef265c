using LibContainer;
using OciRun.CommandLine;

namespace OciRun.Commands;

/// <summary>The flags `create` and `run` share.</summary>
public static class CreateFlags
{
    public static readonly Flag[] All =
    [
        new("bundle", "path to the root of the bundle directory", Short: 'b', ValueName: "DIR", Default: "."),
        new("pid-file", "file to write the process id to", ValueName: "FILE"),
        new("no-pivot", "do not use pivot_root to jail the process inside the rootfs"),
        new("preserve-fds", "pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total)", ValueName: "N"),
        new("console-socket", "path to an AF_UNIX socket which will receive the pty master", ValueName: "PATH"),
        new("pidfd-socket", "path to an AF_UNIX socket which will receive the init's pidfd", ValueName: "PATH"),
        new("no-new-keyring", "do not create a new session keyring (oci-run never creates one)"),
    ];

    public static CreateOptions Read(Invocation call)
    {
        var args = call.Arguments;
        if (args.Value("console-socket") is not null)
            throw new ContainerError("--console-socket: terminals are not supported yet");
        if (args.Value("pidfd-socket") is not null)
            throw new ContainerError("--pidfd-socket: not supported yet");
        var preserve = args.NonNegativeInt("preserve-fds");
        if (int.TryParse(Environment.GetEnvironmentVariable("LISTEN_FDS"), out var listen) && listen > 0)
            preserve += listen; // systemd socket activation fds go through, as with runc
        // As with runc, an empty --bundle is the current directory and an empty --pid-file none.
        var bundle = args.Value("bundle") is { Length: > 0 } given ? given : ".";
        return new CreateOptions(call.Id, bundle)
        {
            PidFile = args.Value("pid-file") is { Length: > 0 } pidFile ? pidFile : null,
            NoPivot = args.Switch("no-pivot"),
            PreserveFds = preserve,
        };
    }
}

public static class CreateCommand
{
    public static readonly Verb Verb = new("create", "create a container", "<container-id>", CreateFlags.All, 1, 1, call =>
    {
        call.Containers.Create(CreateFlags.Read(call));
        return 0;
    });
}
