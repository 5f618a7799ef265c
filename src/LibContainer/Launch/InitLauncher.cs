using System.Text;
using LibContainer.Interop;
using LibContainer.Processes;

namespace LibContainer.Launch;

/// <summary>
/// The parent side of container creation, in two steps so the parent's own
/// work overlaps init's start-up: Spawn starts `oci-run init` (its exec and
/// C start-up take about a millisecond); Bootstrap lets it make its
/// namespaces; JoinCgroups lets it join the cgroup and fork init; Complete
/// sends the config frame and waits until init reports ready or fails.
/// Disposing an incomplete launch kills what was spawned.
/// </summary>
internal sealed unsafe class InitLauncher : IDisposable
{
    private readonly SyncChannel _channel;
    private int _stage0;
    private int _initPid;

    private InitLauncher(SyncChannel channel, int stage0)
    {
        _channel = channel;
        _stage0 = stage0;
    }

    public static InitLauncher Spawn()
    {
        var pair = stackalloc int[2];
        const int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = 0x80000;
        Syscall.Check(LibC.socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), "socketpair");
        var channel = new SyncChannel(pair[0]);
        try
        {
            using var childEnd = new Fd(pair[1]);
            return new InitLauncher(channel, SpawnInit(childEnd.Value));
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    /// <summary>Lets init's C stage join and create its namespaces (but the mount and cgroup ones).</summary>
    public void Bootstrap(BootstrapMessage bootstrap) => Send(FrameType.Bootstrap, bootstrap.Encode());

    /// <summary>Lets init's C stage join the cgroup and its mount namespace, and fork init.</summary>
    public void JoinCgroups(CgroupMessage cgroups) => Send(FrameType.Cgroups, cgroups.Encode());

    /// <summary>Returns the PID of the init process, blocked on exec.fifo. `onPid` runs as soon as it is known.</summary>
    public int Complete(InitConfig config, Action<int> onPid)
    {
        _initPid = ExpectChildPid();
        onPid(_initPid);
        Reap(_stage0);
        _stage0 = 0;
        _channel.Send(FrameType.Config, config.Encode());
        ExpectReady();
        var pid = _initPid;
        _initPid = 0; // ready: from here on the caller owns it
        return pid;
    }

    public void Dispose()
    {
        if (_initPid > 0) LibC.kill(_initPid, 9);
        if (_stage0 > 0)
        {
            LibC.kill(_stage0, 9);
            Reap(_stage0);
        }
        _channel.Dispose();
    }

    // A C stage that failed has sent its reason and exited, so the next write
    // meets a closed socket: the reason is what to report, not the broken pipe.
    private void Send(FrameType type, byte[] payload)
    {
        try
        {
            _channel.Send(type, payload);
        }
        catch (ContainerError) when (_stage0 > 0)
        {
            ExpectChildPid(); // throws the C stage's error, or how it ended
            throw;
        }
    }

    private static int SpawnInit(int syncFd)
    {
        // Init runs from a copy of this binary that nothing can write to (CVE-2019-5736).
        using var exe = new Fd(Syscall.Check(LibC.ocirun_sealed_exe(), "make a sealed copy of the oci-run binary"));
        using var argv = new Syscall.CStringArray(["oci-run", "init"]);
        using var envp = new Syscall.CStringArray([$"{ContainerInit.SyncFdVariable}={syncFd}", $"{ContainerInit.SealedVariable}=1"]);
        var keep = stackalloc int[1] { syncFd };
        var rc = LibC.ocirun_spawn(exe.Value, argv.Pointer, envp.Pointer, keep, 1, out var pid);
        if (rc != 0) throw ContainerError.FromErrno("spawn oci-run init", rc);
        return pid;
    }

    private int ExpectChildPid()
    {
        var frame = _channel.Receive();
        switch (frame)
        {
            case (FrameType.ChildPid, { Length: 4 } payload):
                return BitConverter.ToInt32(payload);
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

    private void ExpectReady()
    {
        var frame = _channel.Receive();
        switch (frame)
        {
            case (FrameType.Ready, _):
                return;
            case (FrameType.Error, var payload):
                throw new ContainerError(Encoding.UTF8.GetString(payload));
            case null:
                throw new ContainerError("container init exited before it was ready (killed? check the memory limit and the kernel log)");
            default:
                throw new ContainerError($"container init: unexpected frame {frame.Value.Type}");
        }
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
