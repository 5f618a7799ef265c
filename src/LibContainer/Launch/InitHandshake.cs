using System.Text;
using LibContainer.Interop;

namespace LibContainer.Launch;

/// <summary>
/// The parent's end of the create/init handshake, shared by the launch steps
/// (SpawnedInit → NamespacedInit → PlacedInit → ReadyInit), which keep the
/// order of the frames: the sync socket, the C stage (stage 0) until it is
/// reaped, and the create's rollback, where the steps push their undo.
/// </summary>
internal sealed class InitHandshake(SyncChannel channel, int stage0, Rollback rollback)
{
    private int _stage0 = stage0;

    /// <summary>The spawned C stage's PID (0 once reaped): the systemd driver's first PID of the scope.</summary>
    public int Stage0Pid => _stage0;

    public Rollback Rollback { get; } = rollback;

    /// <summary>The C stage's PID while it runs (0 once reaped).</summary>
    public int Stage0 => _stage0;

    /// <summary>The map texts of a new user namespace (SpawnedInit.Bootstrap notes them); null: none to write.</summary>
    public (string Uid, string Gid)? UserMaps { get; set; }

    // A C stage that failed has sent its reason and exited, so the next write
    // meets a closed socket: the reason is what to report, not the broken pipe.
    public void Send(FrameType type, byte[] payload)
    {
        try
        {
            channel.Send(type, payload);
        }
        catch (ContainerError) when (_stage0 > 0)
        {
            ExpectChildPid(); // throws the C stage's error, or how it ended
            throw;
        }
    }

    /// <summary>A frame with an fd (SCM_RIGHTS); init is forked by then, so a failure is the socket's.</summary>
    public void Send(FrameType type, byte[] payload, int fd) => channel.Send(type, payload, fd);

    /// <summary>The PID of init, once the C stage has forked it; on the way, the maps of a new user namespace are written when asked.</summary>
    public int ExpectChildPid()
    {
        var frame = channel.Receive();
        switch (frame)
        {
            case (FrameType.ChildPid, { Length: 4 } payload):
                return BitConverter.ToInt32(payload);
            case (FrameType.UsermapRequest, { Length: 0 }) when UserMaps is { } maps && _stage0 > 0:
                UserNamespace.IdMapWriter.Write(_stage0, maps.Uid, maps.Gid);
                UserMaps = null; // asked once
                channel.Send(FrameType.UsermapDone, []);
                return ExpectChildPid();
            case (FrameType.Error, var payload):
                throw new ContainerError($"container init: {Encoding.UTF8.GetString(payload)}");
            case null:
                var status = Reap(_stage0);
                _stage0 = 0;
                throw new ContainerError($"container init exited before joining its namespaces ({Describe(status)})");
            default:
                throw new ContainerError($"container init: unexpected frame {frame.Value.Type}");
        }
    }

    /// <summary>The C stage exits once it has forked init.</summary>
    public void ReapStage0()
    {
        Reap(_stage0);
        _stage0 = 0;
    }

    /// <summary>
    /// Waits for ready. On the way init may ask for the runtime's hooks
    /// (prestart, createRuntime; after its mounts, before pivot_root):
    /// `runHooks` runs them in the runtime namespace and init goes on when told;
    /// and it may hand over its seccomp listener: `seccompListener` takes it
    /// (and closes it) before init goes on; and its pty's master: `console`
    /// takes it (and closes it) likewise.
    /// </summary>
    public void ExpectReady(Action? runHooks = null, Action<int>? seccompListener = null, Action<int>? console = null)
    {
        while (true)
        {
            var frame = channel.ReceiveWithFd();
            if (frame is { Fd: >= 0 } withFd)
            {
                HandOn(withFd.Type, withFd.Fd, seccompListener, ref console, "container init");
                continue;
            }
            switch (frame)
            {
                case (FrameType.Ready, _, _):
                    return;
                case (FrameType.HooksRequest, _, _) when runHooks is not null:
                    runHooks();
                    runHooks = null; // asked once
                    channel.Send(FrameType.HooksDone, []);
                    continue;
                case (FrameType.Error, var payload, _):
                    throw new ContainerError(Encoding.UTF8.GetString(payload));
                case null:
                    throw new ContainerError("container init exited before it was ready (killed? check the memory limit and the kernel log)");
                default:
                    throw new ContainerError($"container init: unexpected frame {frame.Value.Type}");
            }
        }
    }

    /// <summary>
    /// An exec's init: waits until the process runs (init's end of the socket is
    /// close-on-exec, so the end of the socket says execve succeeded) or an
    /// error says why it does not. A seccomp notify listener and the pty's master
    /// (process.terminal) are handed on on the way, as for ExpectReady.
    /// </summary>
    public void ExpectExec(Action<int>? seccompListener = null, Action<int>? console = null)
    {
        while (true)
        {
            var frame = channel.ReceiveWithFd();
            if (frame is { Fd: >= 0 } withFd)
            {
                HandOn(withFd.Type, withFd.Fd, seccompListener, ref console, "exec init");
                continue;
            }
            switch (frame)
            {
                case null:
                    return;
                case (FrameType.Error, var payload, _):
                    throw new ContainerError(Encoding.UTF8.GetString(payload));
                default:
                    throw new ContainerError($"exec init: unexpected frame {frame.Value.Type}");
            }
        }
    }

    /// <summary>
    /// An fd init sent (its seccomp listener, its pty's master) goes to whoever takes it, and init
    /// is told to go on; an fd nobody asked for is closed and an error. One pty per process.
    /// </summary>
    private void HandOn(FrameType type, int fd, Action<int>? seccompListener, ref Action<int>? console, string who)
    {
        var (take, done) = type switch
        {
            FrameType.SeccompListener => (seccompListener, FrameType.SeccompDone),
            FrameType.Console => (console, FrameType.ConsoleDone),
            _ => (null, FrameType.Error),
        };
        if (take is null)
        {
            LibC.close(fd);
            throw new ContainerError($"{who}: unexpected fd with frame {type}");
        }
        take(fd);
        if (type == FrameType.Console) console = null;
        channel.Send(done, []);
    }

    /// <summary>Init is ready and has closed its end: the socket has nothing more to say.</summary>
    public void Close() => channel.Dispose();

    /// <summary>The undo of a launch: kills and reaps the C stage if it is still there.</summary>
    public void Abort()
    {
        if (_stage0 > 0)
        {
            LibC.kill(_stage0, 9);
            ReapStage0();
        }
        channel.Dispose();
    }

    private static int Reap(int pid)
    {
        int status = 0;
        Syscall.Retry(() => LibC.waitpid(pid, out status, 0));
        return status;
    }

    private static string Describe(int status) =>
        (status & 0x7f) == 0 ? $"exit status {(status >> 8) & 0xff}" : $"killed by signal {status & 0x7f}";
}
