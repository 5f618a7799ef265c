using System.Text;
using LibContainer.Hooks;
using LibContainer.Interop;
using LibContainer.Launch;
using LibContainer.Rootfs;
using LibContainer.Security;
using LibContainer.Security.Seccomp;
using LibContainer.Terminal;

namespace LibContainer.Processes;

/// <summary>
/// `oci-run init`: runs after the C stage has put the process in its
/// namespaces. Sets the container up from the config frame, reports ready,
/// waits on exec.fifo for `start`, then execs the user process in place.
/// </summary>
public static class ContainerInit
{
    public const string SyncFdVariable = "_OCIRUN_SYNC_FD";
    public const string SealedVariable = "_OCIRUN_SEALED";

    /// <summary>Returns only on failure, with the exit status for init.</summary>
    public static int Run()
    {
        if (!int.TryParse(System.Environment.GetEnvironmentVariable(SyncFdVariable), out var syncFd))
            return 1; // not started by oci-run create: nothing to report to
        var channel = new SyncChannel(syncFd);
        try
        {
            var frame = channel.ReceiveWithFd() ?? throw new ContainerError("the parent closed the sync socket before sending the config");
            if (frame.Type != FrameType.Config) throw new ContainerError($"expected the config frame, got {frame.Type}");
            if (LibContainer.Exec.ExecConfig.IsExec(frame.Payload)) return ExecInit.Run(channel, LibContainer.Exec.ExecConfig.Decode(frame.Payload));
            var config = InitConfig.Decode(frame.Payload);
            // exec.fifo comes with the config (O_PATH): in a user namespace init may not reach it under --root.
            var fifoFromParent = frame.Fd >= 0 ? new Fd(frame.Fd) : null;
            // Before any seccomp filter (one without no_new_privs is loaded inside Prepare), which
            // need not allow close_range; what init opens later is close-on-exec already.
            CloseOnExecAbove(config.PreserveFds);
            var exec = Prepare(config, fifoFromParent, () => CreateTimeHooks(config, channel), program => LoadSeccomp(channel, program), pty => ContainerConsole.HandOver(channel, pty), out var proc, out var fifo);
            // Ready is the end of the handshake: from here on, create records init and
            // `delete --force` can clear it, so init no longer dies with create.
            Syscall.Check(LibC.prctl(Pr.SET_PDEATHSIG, 0, 0, 0, 0), "clear the parent death signal");
            // Seccomp with no_new_privs: the last thing whose failure can still fail create, so
            // that as few of init's own syscalls as possible must pass the filter.
            if (exec.SeccompLast is { } filter) LoadSeccomp(channel, filter);
            channel.Send(FrameType.Ready, []);
            channel.Dispose();
            WaitForStart(proc, fifo, () => HookRunner.RunAll(config.Spec.Hooks?.StartContainer, "startContainer", StateFor(config, "created")));
            return Exec(exec);
        }
        catch (ContainerError e)
        {
            return Fail(channel, e.Message);
        }
        catch (Exception e)
        {
            return Fail(channel, $"container init: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>SeccompLast: the filter to load just before ready (null: none, or loaded already).</summary>
    private sealed record ExecPlan(string Path, List<string> Args, List<string> Env, SeccompProgram? SeccompLast);

    /// <summary>
    /// After the mounts, before pivot_root: the runtime's hooks (prestart,
    /// createRuntime), run by create in the runtime namespace when init asks,
    /// then createContainer, run here in the container's namespaces.
    /// </summary>
    private static void CreateTimeHooks(InitConfig config, SyncChannel channel)
    {
        var hooks = config.Spec.Hooks;
        if (hooks?.Prestart is { Count: > 0 } || hooks?.CreateRuntime is { Count: > 0 })
        {
            channel.Send(FrameType.HooksRequest, []);
            var reply = channel.Receive() ?? throw new ContainerError("the parent closed the sync socket while running the hooks");
            if (reply.Type != FrameType.HooksDone) throw new ContainerError($"expected the hooks-done frame, got {reply.Type}");
        }
        HookRunner.RunAll(hooks?.CreateContainer, "createContainer", StateFor(config, "creating"));
    }

    // Seen from the container's own PID namespace, as runc passes it to the hooks run in there.
    private static HookState StateFor(InitConfig config, string status) =>
        new(config.Id, status, System.Environment.ProcessId, config.Bundle, config.Spec.Annotations);

    private static ExecPlan Prepare(InitConfig config, Fd? fifoFromParent, Action beforePivot, Action<SeccompProgram> loadSeccomp, Action<Pty> handOverConsole, out Fd proc, out Fd fifo)
    {
        var spec = config.Spec;
        var process = spec.Process!;
        LibC.umask(0);
        // Opened while the host's tree is still in view; reopened for writing after pivot_root.
        fifo = fifoFromParent ?? Fd.Open(config.FifoPath, O.PATH);
        // Host facts are read before the rootfs exists, from the host's procfs:
        // the container's /proc could say anything.
        int lastCap;
        using (var hostProc = ProcFs.OpenHost()) lastCap = Capabilities.LastCap(hostProc);
        var identity = IdentityPlan.For(process, lastCap);
        // The seccomp filter is compiled now (or found compiled under --root), while init may still
        // allocate freely and sees the host: the config's rlimits come later (an address-space limit
        // below the ~4 GiB the runtime reserves would break it), and a profile libseccomp refuses
        // fails before any mount.
        var seccomp = spec.Linux?.Seccomp is { } profile ? CompileSeccomp(SeccompPlan.For(profile), config.SeccompCacheDirectory) : null;
        var sys = new Syscalls.LinuxSyscalls();
        // After pivot_root, procfs is reached only through an instance of the
        // container's own PID namespace, made while the kernel still allows it.
        var privateProc = ProcFs.OpenPrivate();

        // process.terminal: the pty's master goes to create, its slave becomes stdio and the controlling terminal.
        if (new RootfsExecutor(config, sys).Run(beforePivot) is { } console)
        {
            try { handOverConsole(console); }
            catch { console.Slave.Dispose(); throw; }
            ContainerConsole.Attach(sys, console, process.User?.Uid ?? 0);
        }

        proc = privateProc ?? ProcFs.OpenMounted();
        if (!string.IsNullOrEmpty(spec.Hostname)) SetHostname(spec.Hostname, domain: false);
        if (!string.IsNullOrEmpty(spec.Domainname)) SetHostname(spec.Domainname, domain: true);
        // runc's place for them: they take effect at execve, so nothing init does is confined.
        ApplyLabels(proc, process);
        foreach (var (key, value) in spec.Linux?.Sysctl ?? [])
            WriteProc(proc, "sys/" + key.Replace('.', '/'), value, $"linux.sysctl {key}");
        IdentityExecutor.SetRlimits(identity, sys);
        if (Kernel.ExecutionDomain.ValueOf(spec.Linux?.Personality?.Domain) is { } persona) Kernel.ExecutionDomain.Set(persona);
        Kernel.MemoryPolicyPlan.For(spec.Linux?.MemoryPolicy)?.Apply();

        // The cwd is entered while init is still root, as runc does: a directory
        // only root may enter is still a valid cwd for an unprivileged process.
        Syscall.Check(LibC.chdir(process.Cwd!), $"chdir to process.cwd {process.Cwd}");
        VerifyCwd();
        // Without no_new_privs, loading a filter needs CAP_SYS_ADMIN: it goes before the identity
        // drops it (runc's order); the syscalls that change the identity must pass it.
        if (seccomp is not null && !process.NoNewPrivileges) loadSeccomp(seccomp);
        IdentityExecutor.Become(identity, sys);
        var env = Executable.Environment(process);
        return new ExecPlan(Executable.Resolve(process.Args![0], env), process.Args, env, process.NoNewPrivileges ? seccomp : null);
    }

    /// <summary>
    /// Loads the filter. A notify listener (SCMP_ACT_NOTIFY) goes to create over the sync
    /// socket, and init waits until create has handed it to the agent at listenerPath.
    /// </summary>
    internal static void LoadSeccomp(SyncChannel channel, SeccompProgram program)
    {
        var listener = new Syscalls.LinuxSyscalls().LoadSeccompFilter(program.Bpf, program.Flags);
        if (listener < 0) return;
        try
        {
            channel.Send(FrameType.SeccompListener, [], listener);
        }
        finally
        {
            LibC.close(listener);
        }
        if (channel.Receive() is not (FrameType.SeccompDone, _)) throw new ContainerError("linux.seccomp: create did not take the seccomp listener");
    }

    private static SeccompProgram CompileSeccomp(SeccompPlan plan, string? cacheDirectory) =>
        cacheDirectory is null ? SeccompCompiler.Compile(plan) : new SeccompCache(cacheDirectory).GetOrCompile(plan);

    private static unsafe void SetHostname(string name, bool domain)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        fixed (byte* p = bytes)
        {
            var rc = domain ? LibC.setdomainname(p, bytes.Length) : LibC.sethostname(p, bytes.Length);
            Syscall.Check(rc, domain ? $"set domainname \"{name}\"" : $"set hostname \"{name}\"");
        }
    }

    /// <summary>AppArmor's and SELinux's labels for the next execve, each to the first of its procfs files that exists.</summary>
    internal static void ApplyLabels(Fd proc, Spec.Process process)
    {
        foreach (var label in SecurityLabels.For(process))
        {
            var written = false;
            foreach (var file in label.Files)
            {
                var fd = LibC.openat(proc.Value, file, O.WRONLY | O.CLOEXEC | O.NOFOLLOW, 0);
                if (fd < 0 && Syscall.LastErrno == Errno.ENOENT) continue;
                if (fd < 0) throw ContainerError.FromErrno($"{label.Field}: open /proc/{file}", Syscall.LastErrno);
                using var owned = new Fd(fd);
                Syscall.WriteAll(fd, Encoding.UTF8.GetBytes(label.Value), $"{label.Field}: apply \"{label.Value}\" through /proc/{file}");
                written = true;
                break;
            }
            if (!written) throw new ContainerError($"{label.Field}: the kernel has no /proc/{label.Files[0]} to apply it through");
        }
    }

    /// <summary>Writes a file under the verified procfs handle; we are in the container's namespaces already.</summary>
    private static void WriteProc(Fd proc, string relative, string value, string what)
    {
        var fd = LibC.openat(proc.Value, relative, O.WRONLY | O.CLOEXEC | O.NOFOLLOW, 0);
        if (fd < 0) throw ContainerError.FromErrno($"{what}: open /proc/{relative}", Syscall.LastErrno);
        using var owned = new Fd(fd);
        Syscall.WriteAll(fd, Encoding.UTF8.GetBytes(value), $"{what}: write \"{value}\" to /proc/{relative}");
    }

    // A cwd outside the container (a leaked fd, CVE-2024-21626) makes getcwd fail or return a non-absolute path.
    internal static unsafe void VerifyCwd()
    {
        var buffer = stackalloc byte[4096];
        if (LibC.getcwd(buffer, 4096) == null || buffer[0] != (byte)'/')
            throw new ContainerError("the current directory is outside the root filesystem: possible container breakout detected");
    }

    /// <summary>
    /// Blocks until `oci-run start` opens exec.fifo for reading, then tells it we are going.
    /// </summary>
    /// <remarks>
    /// While init waits here, anyone who can read /proc/PID/fd of it (a process
    /// with CAP_SYS_PTRACE in the same PID namespace: another container of a pod)
    /// can open what its fds lead to. So nothing init holds now may lead into the
    /// host's filesystem: its root and cwd are the container's; `proc` is a procfs
    /// of the container's own PID namespace (no host process is in it); `fifo` is
    /// an O_PATH handle on exec.fifo, a fifo and not a directory, so nothing can be
    /// walked from it; stdio and the preserved fds are what the caller gave the
    /// container. The .NET runtime's own /dev/urandom handle is a character device.
    /// An exec into the container (later) must keep to the same rule.
    /// </remarks>
    private static void WaitForStart(Fd proc, Fd fifo, Action startContainerHooks)
    {
        var fd = Syscall.Retry(() => LibC.openat(proc.Value, $"self/fd/{fifo.Value}", O.WRONLY | O.CLOEXEC, 0));
        Syscall.Check(fd, "open exec.fifo");
        // `start` is reading now: the startContainer hooks run, and a failure is what start
        // reads instead of "0" ("E" and the message), so start fails with the hook's reason.
        try
        {
            startContainerHooks();
        }
        catch (ContainerError e)
        {
            Syscall.WriteAll(fd, Encoding.UTF8.GetBytes("E" + e.Message), "write exec.fifo");
            throw;
        }
        Syscall.WriteAll(fd, "0"u8, "write exec.fifo");
        LibC.close(fd);
        fifo.Dispose();
        proc.Dispose();
    }

    /// <summary>
    /// Every fd above the preserved ones closes at execve: nothing of the runtime reaches the
    /// container. Done before ready (and a no_new_privs seccomp filter), as runc does: what
    /// init opens after it is close-on-exec already, and the profile need not allow close_range.
    /// </summary>
    internal static void CloseOnExecAbove(int preserveFds)
    {
        const uint CLOSE_RANGE_CLOEXEC = 1 << 2;
        Syscall.Check(LibC.syscall(Sys.close_range, 3 + preserveFds, uint.MaxValue, CLOSE_RANGE_CLOEXEC, 0, 0), "close_range");
    }

    private static int Exec(ExecPlan plan)
    {
        var errno = ExecOrErrno(plan.Path, plan.Args, plan.Env);
        WriteError($"exec {plan.Path}: {Errno.Describe(errno)}");
        return errno == Errno.ENOENT ? 127 : 126;
    }

    /// <summary>execve; returns only if it failed, with the errno.</summary>
    internal static unsafe int ExecOrErrno(string path, List<string> args, List<string> env)
    {
        using var argv = new Syscall.CStringArray(args);
        using var envp = new Syscall.CStringArray(env);
        LibC.ocirun_exec(path, argv.Pointer, envp.Pointer);
        return Syscall.LastErrno;
    }

    internal static unsafe void WriteError(string message)
    {
        var bytes = Encoding.UTF8.GetBytes($"oci-run: {message}\n");
        fixed (byte* p = bytes) LibC.write(2, p, bytes.Length);
    }

    internal static int Fail(SyncChannel channel, string message)
    {
        try
        {
            if (channel.Fd >= 0) channel.Send(FrameType.Error, Encoding.UTF8.GetBytes(message));
            else WriteError(message); // after ready, create is gone: the container's stderr is all there is
        }
        catch (ContainerError) { /* the parent is gone; nothing else to tell */ }
        return 1;
    }
}
