using LibContainer.Interop;
using LibContainer.Processes;

namespace LibContainer.Launch;

/// <summary>
/// The first launch step: `oci-run init` is spawned and its C stage waits
/// for the bootstrap frame. Spawned first thing, it execs and starts up (about
/// a millisecond) while create does its own work. Each step's only way
/// forward is the next frame, so the frame order is checked by the compiler.
/// </summary>
internal sealed unsafe class SpawnedInit
{
    private readonly InitHandshake _handshake;

    private SpawnedInit(InitHandshake handshake) => _handshake = handshake;

    /// <summary>Until init is ready, a failed create kills and reaps what was spawned.</summary>
    public static SpawnedInit Spawn(Rollback rollback)
    {
        var pair = stackalloc int[2];
        const int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = 0x80000;
        Syscall.Check(LibC.socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), "socketpair");
        var channel = new SyncChannel(pair[0]);
        try
        {
            using var childEnd = new Fd(pair[1]);
            var handshake = new InitHandshake(channel, SpawnInit(childEnd.Value), rollback);
            rollback.Push(handshake.Abort);
            return new SpawnedInit(handshake);
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Lets init's C stage join and create its namespaces (but the mount and cgroup ones).
    /// process.oomScoreAdj is written first, while the C stage is still the host's root in
    /// the host's namespaces, as runc does: init inherits it, and inside a user namespace
    /// it could not write it (its /proc/self belongs to the host's root).
    /// </summary>
    public NamespacedInit Bootstrap(BootstrapMessage bootstrap, int? oomScoreAdj = null)
    {
        if (oomScoreAdj is { } oom) WriteOomScoreAdj(_handshake.Stage0, oom);
        if (bootstrap is { UidMap: { } uid, GidMap: { } gid }) _handshake.UserMaps = (uid, gid);
        _handshake.Send(FrameType.Bootstrap, bootstrap.Encode());
        return new NamespacedInit(_handshake);
    }

    private static void WriteOomScoreAdj(int pid, int value)
    {
        var path = $"/proc/{pid}/oom_score_adj";
        using var fd = Fd.Open(path, O.WRONLY);
        Syscall.WriteAll(fd.Value, System.Text.Encoding.ASCII.GetBytes(value.ToString(System.Globalization.CultureInfo.InvariantCulture)), $"process.oomScoreAdj: write \"{value}\" to {path}");
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
}
