using LibContainer;
using OciRun.CommandLine;

namespace OciRun.Commands;

/// <summary>The flags `create` and `run` share.</summary>
public static class CreateFlags
{
    public static readonly StringFlag Bundle = new("bundle", "path to the root of the bundle directory", Short: 'b', ValueName: "DIR", Default: ".");
    public static readonly StringFlag PidFile = new("pid-file", "file to write the process id to", ValueName: "FILE");
    public static readonly SwitchFlag NoPivot = new("no-pivot", "do not use pivot_root to jail the process inside the rootfs");
    public static readonly NonNegativeIntFlag PreserveFds = new("preserve-fds", "pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total)", ValueName: "N");
    public static readonly StringFlag ConsoleSocket = new("console-socket", "path to an AF_UNIX socket which will receive the pty master", ValueName: "PATH");
    public static readonly StringFlag PidfdSocket = new("pidfd-socket", "path to an AF_UNIX socket which will receive the init's pidfd", ValueName: "PATH");
    public static readonly SwitchFlag NoNewKeyring = new("no-new-keyring", "do not create a new session keyring (oci-run never creates one)");

    // Last: static fields are set in the order they are written, and this one lists those above.
    public static readonly Flag[] All = [Bundle, PidFile, NoPivot, PreserveFds, ConsoleSocket, PidfdSocket, NoNewKeyring];

    /// <summary>--preserve-fds plus systemd's socket-activation fds ($LISTEN_FDS), which go through as with runc (create, run, exec).</summary>
    public static int WithListenFds(int preserveFds) =>
        int.TryParse(Environment.GetEnvironmentVariable("LISTEN_FDS"), out var listen) && listen > 0 ? preserveFds + listen : preserveFds;

    public static CreateOptions Read(Invocation call)
    {
        var preserve = WithListenFds(call.Get(PreserveFds));
        // As with runc, an empty --bundle is the current directory and an empty --pid-file none.
        var bundle = call.Get(Bundle) is { Length: > 0 } given ? given : ".";
        return new CreateOptions(call.Id, bundle)
        {
            PidFile = call.Get(PidFile) is { Length: > 0 } pidFile ? pidFile : null,
            NoPivot = call.Get(NoPivot),
            PreserveFds = preserve,
            ConsoleSocket = call.Get(ConsoleSocket) is { Length: > 0 } socket ? socket : null,
            PidfdSocket = call.Get(PidfdSocket) is { Length: > 0 } pidfdSocket ? pidfdSocket : null,
            SystemdCgroup = call.Get(GlobalFlags.SystemdCgroup),
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
