using LibContainer.Interop;
using LibContainer.Processes;

namespace LibContainer.Launch;

/// <summary>
/// The third launch step: init's C stage has the cgroup frame and forks init
/// into the container's cgroup; create finishes the cgroup and exec.fifo.
/// </summary>
internal sealed class PlacedInit
{
    private readonly InitHandshake _handshake;

    // Only NamespacedInit.JoinCgroups makes one.
    internal PlacedInit(InitHandshake handshake) => _handshake = handshake;

    /// <summary>
    /// Sends the config frame and waits until init is blocked on exec.fifo.
    /// From the moment its PID is known, a failed create kills init.
    /// `seccompListener` (init's PID, the fd) takes a seccomp notify listener init hands over;
    /// `console` (the fd) the master of the pty init made for process.terminal. Each closes the fd.
    /// </summary>
    /// <remarks>`runtimeHooks` (given init's PID) runs when init asks, after its mounts and before pivot_root;
    /// `forked` (init's PID) as soon as init is forked, before it gets its config.</remarks>
    public ReadyInit Complete(InitConfig config, Action<int>? runtimeHooks = null, Action<int, int>? seccompListener = null, Action<int>? console = null, Action<int>? forked = null)
    {
        var pid = _handshake.ExpectChildPid();
        _handshake.Rollback.Push(() => LibC.kill(pid, 9));
        _handshake.ReapStage0();
        forked?.Invoke(pid); // init's namespaces exist, and it waits for its config
        // exec.fifo goes with the config as an O_PATH handle, as runc passes it: init may run as a
        // user (a user namespace's root is one on the host) who cannot reach it under --root.
        using (var fifo = Fd.Open(config.FifoPath, O.PATH))
            _handshake.Send(FrameType.Config, config.Encode(), fifo.Value);
        _handshake.ExpectReady(runtimeHooks is null ? null : () => runtimeHooks(pid), seccompListener is null ? null : fd => seccompListener(pid, fd), console);
        _handshake.Close();
        return new ReadyInit(pid);
    }

    /// <summary>
    /// An exec: sends the process's config and returns its PID once it runs
    /// (until then a failure kills it). `seccompListener` and `console` as for Complete.
    /// </summary>
    public int CompleteExec(Exec.ExecConfig config, Action<int, int>? seccompListener = null, Action<int>? console = null)
    {
        var pid = _handshake.ExpectChildPid();
        _handshake.Rollback.Push(() => LibC.kill(pid, 9));
        _handshake.ReapStage0();
        _handshake.Send(FrameType.Config, config.Encode());
        _handshake.ExpectExec(seccompListener is null ? null : fd => seccompListener(pid, fd), console);
        _handshake.Close();
        return pid;
    }
}
