using System.Runtime.InteropServices;
using LibContainer;
using LibContainer.Exec;
using OciRun.CommandLine;

namespace OciRun.Commands;

/// <summary>
/// `exec`: runs a new process in the container, with runc's flags. Flags come
/// before the ID; everything after the ID is the command. A failure is
/// runc's "exec failed: ..." and exit status 255; otherwise the process's own.
/// </summary>
public static partial class ExecCommand
{
    public static readonly StringFlag ConsoleSocket = new("console-socket", "path to an AF_UNIX socket which will receive the pty master", ValueName: "PATH");
    public static readonly StringFlag PidfdSocket = new("pidfd-socket", "path to an AF_UNIX socket which will receive the process's pidfd", ValueName: "PATH");
    public static readonly StringFlag Cwd = new("cwd", "current working directory in the container", ValueName: "DIR");
    public static readonly ListFlag Env = new("env", "set an environment variable (repeatable)", ValueName: "NAME=VALUE", Short: 'e');
    public static readonly SwitchFlag Tty = new("tty", "allocate a pseudo-TTY", Short: 't');
    public static readonly StringFlag User = new("user", "UID (format: <uid>[:<gid>])", ValueName: "UID[:GID]", Short: 'u');
    public static readonly ListFlag AdditionalGids = new("additional-gids", "an additional gid (repeatable)", ValueName: "GID", Short: 'g');
    public static readonly StringFlag Process = new("process", "path to the process.json", ValueName: "FILE", Short: 'p');
    public static readonly SwitchFlag Detach = new("detach", "detach from the container's process", Short: 'd');
    public static readonly StringFlag PidFile = new("pid-file", "file to write the process id to", ValueName: "FILE");
    public static readonly StringFlag ProcessLabel = new("process-label", "the SELinux label for the process", ValueName: "LABEL");
    public static readonly StringFlag Apparmor = new("apparmor", "the AppArmor profile for the process", ValueName: "PROFILE");
    public static readonly SwitchFlag NoNewPrivs = new("no-new-privs", "set the no new privileges value for the process");
    public static readonly ListFlag Cap = new("cap", "add a capability to the bounding set for the process (repeatable)", ValueName: "CAP", Short: 'c');
    public static readonly NonNegativeIntFlag PreserveFds = new("preserve-fds", "pass N additional file descriptors to the process (stdio + $LISTEN_FDS + N in total)", ValueName: "N");
    public static readonly ListFlag Cgroup = new("cgroup", "run the process in an existing sub-cgroup: [CONTROLLER:]PATH (repeatable)", ValueName: "CGROUP");
    public static readonly SwitchFlag IgnorePaused = new("ignore-paused", "allow exec in a paused container");

    // After the flags it lists: static fields are set in the order they are written.
    public static readonly Verb Verb = new("exec", "execute new process inside the container", "<container-id> <command> [args...] || -p process.json <container-id>",
        [ConsoleSocket, PidfdSocket, Cwd, Env, Tty, User, AdditionalGids, Process, Detach, PidFile, ProcessLabel, Apparmor, NoNewPrivs, Cap, PreserveFds, Cgroup, IgnorePaused],
        1, Verb.Unlimited, Run)
    {
        RestAreArguments = true,
        FailureStatus = 255,
        FailurePrefix = "exec failed: ",
    };

    private static int Run(Invocation call)
    {
        var request = Read(call);
        if (request.Detach) return call.Containers.Exec(request);
        // Signals sent to `oci-run exec` go to the process, as with runc. It is exec's own child until
        // it is waited for, so its PID cannot be reused meanwhile.
        var pid = 0;
        using var forwarded = new ForwardedSignals(signal =>
        {
            if (pid > 0) Kill(pid, signal);
        });
        // With a terminal, the process's pty is attached to this terminal (raw mode until the end).
        using var console = new LibContainer.Terminal.ConsoleProxy(input: 0, output: 1);
        return call.Containers.Exec(request with { Console = console }, started => pid = started);
    }

    public static ExecRequest Read(Invocation call)
    {
        var preserve = CreateFlags.WithListenFds(call.Get(PreserveFds));
        bool? noNewPrivs = call.IsSet(NoNewPrivs) ? call.Get(NoNewPrivs) : null;
        return new ExecRequest(call.Id)
        {
            ProcessFile = call.Get(Process) is { Length: > 0 } file ? file : null,
            Args = call.Arguments.PositionalFrom(1),
            Cwd = call.Get(Cwd),
            Env = call.Get(Env),
            Tty = call.Get(Tty),
            User = call.Get(User),
            AdditionalGids = call.Get(AdditionalGids),
            Capabilities = call.Get(Cap),
            NoNewPrivileges = noNewPrivs,
            ApparmorProfile = call.Get(Apparmor),
            ProcessLabel = call.Get(ProcessLabel),
            Detach = call.Get(Detach),
            PidFile = call.Get(PidFile) is { Length: > 0 } pidFile ? pidFile : null,
            ConsoleSocket = call.Get(ConsoleSocket) is { Length: > 0 } socket ? socket : null,
            PidfdSocket = call.Get(PidfdSocket) is { Length: > 0 } pidfdSocket ? pidfdSocket : null,
            PreserveFds = preserve,
            IgnorePaused = call.Get(IgnorePaused),
            SubCgroups = call.Get(Cgroup),
        };
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
