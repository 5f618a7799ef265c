using System.Text;
using LibContainer.Cgroups;
using LibContainer.Interop;

namespace LibContainer.Processes;

/// <summary>
/// The parent side of container creation: spawns `oci-run init` into the
/// cgroup (see CgroupPlacement), sends the bootstrap and config frames, and
/// waits until init reports ready or fails.
/// </summary>
internal static unsafe class InitLauncher
{
    /// <summary>Returns the PID of the init process, blocked on exec.fifo. `onPid` runs as soon as it is known.</summary>
    public static int Launch(InitConfig config, ICgroupManager cgroup, string fifoPath, Action<int> onPid)
    {
        using var fifo = Fd.Open(fifoPath, O.PATH);
        var pair = stackalloc int[2];
        const int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = 0x80000;
        Syscall.Check(LibC.socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), "socketpair");
        using var channel = new SyncChannel(pair[0]);
        var placement = cgroup.Placement;
        int stage0;
        using (var childEnd = new Fd(pair[1]))
        using (var v2 = placement.V2Directory is { } dir ? Fd.Open(dir, O.RDONLY | O.DIRECTORY) : null)
            stage0 = Spawn(childEnd.Value, fifo.Value, v2?.Value ?? -1);

        var initPid = 0;
        try
        {
            channel.Send(FrameType.Bootstrap, BootstrapMessage.From(config.Spec, placement.V1TaskFiles).Encode());
            initPid = ExpectChildPid(channel, stage0);
            onPid(initPid);
            Reap(stage0);
            stage0 = 0;
            channel.Send(FrameType.Config, (config with { FifoFd = fifo.Value }).Encode());
            ExpectReady(channel);
            return initPid;
        }
        catch
        {
            if (initPid > 0) LibC.kill(initPid, 9);
            if (stage0 > 0)
            {
                LibC.kill(stage0, 9);
                Reap(stage0);
            }
            throw;
        }
    }

    private static int Spawn(int syncFd, int fifoFd, int cgroupFd)
    {
        // Init runs from a copy of this binary that nothing can write to (CVE-2019-5736).
        using var exe = new Fd(Syscall.Check(LibC.ocirun_sealed_exe(), "make a sealed copy of the oci-run binary"));
        using var argv = new Syscall.CStringArray(["oci-run", "init"]);
        using var envp = new Syscall.CStringArray([$"{ContainerInit.SyncFdVariable}={syncFd}", $"{ContainerInit.SealedVariable}=1"]);
        var keep = stackalloc int[2] { syncFd, fifoFd };
        var rc = LibC.ocirun_spawn(exe.Value, argv.Pointer, envp.Pointer, keep, 2, cgroupFd, out var pid);
        if (rc != 0) throw ContainerError.FromErrno("spawn oci-run init", rc);
        return pid;
    }

    private static int ExpectChildPid(SyncChannel channel, int stage0)
    {
        var frame = channel.Receive();
        switch (frame)
        {
            case (FrameType.ChildPid, { Length: 4 } payload):
                return BitConverter.ToInt32(payload);
            case (FrameType.Error, var payload):
                throw new ContainerError($"container init: {Encoding.UTF8.GetString(payload)}");
            case null:
                throw new ContainerError($"container init exited before joining its namespaces ({Describe(Reap(stage0))})");
            default:
                throw new ContainerError($"container init: unexpected frame {frame.Value.Type}");
        }
    }

    private static void ExpectReady(SyncChannel channel)
    {
        var frame = channel.Receive();
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
