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
    /// `seccompListener` (init's PID, the fd) takes a seccomp notify listener init hands over.
    /// </summary>
    /// <remarks>`runtimeHooks` (given init's PID) runs when init asks, after its mounts and before pivot_root.</remarks>
    public ReadyInit Complete(InitConfig config, Action<int>? runtimeHooks = null, Action<int, int>? seccompListener = null)
    {
        var pid = _handshake.ExpectChildPid();
        _handshake.Rollback.Push(() => LibC.kill(pid, 9));
        _handshake.ReapStage0();
        // exec.fifo goes with the config as an O_PATH handle, as runc passes it: init may run as a
        // user (a user namespace's root is one on the host) who cannot reach it under --root.
        using (var fifo = Fd.Open(config.FifoPath, O.PATH))
            _handshake.Send(FrameType.Config, config.Encode(), fifo.Value);
        _handshake.ExpectReady(runtimeHooks is null ? null : () => runtimeHooks(pid), seccompListener is null ? null : fd => seccompListener(pid, fd));
        _handshake.Close();
        return new ReadyInit(pid);
    }
}
