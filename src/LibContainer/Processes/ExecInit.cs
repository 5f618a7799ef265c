using System.Text;
using LibContainer.Exec;
using LibContainer.Interop;
using LibContainer.Launch;
using LibContainer.Security;

namespace LibContainer.Processes;

/// <summary>
/// `oci-run init` for an `exec`: the C stage has joined the container's
/// namespaces and cgroups; this sets up the process as runc's setns init does
/// (rlimits, cwd, seccomp, identity) and execs it. The sync socket is
/// close-on-exec, so `exec` reads its end-of-file as "the process runs", and
/// an error frame as why it does not.
/// </summary>
internal static class ExecInit
{
    public static int Run(SyncChannel channel, ExecConfig config)
    {
        var process = config.Process;
        ContainerInit.CloseOnExecAbove(config.PreserveFds);
        var sys = new Syscalls.LinuxSyscalls();
        if (process.Terminal)
        {
            // A pty of the container's devpts, as create's (without the /dev/console bind): its
            // master goes to exec (for --console-socket or exec's own terminal), its slave is stdio.
            Terminal.Pty pty;
            using (var root = sys.OpenDirectory("/")) pty = Terminal.ContainerConsole.Open(sys, root, process.ConsoleSize);
            try { Terminal.ContainerConsole.HandOver(channel, pty); }
            catch { pty.Slave.Dispose(); throw; }
            Terminal.ContainerConsole.Attach(sys, pty, process.User?.Uid ?? 0);
        }
        var identity = IdentityPlan.For(process, config.LastCap);
        IdentityExecutor.SetRlimits(identity, sys);
        if (config.Personality is { } persona) Kernel.ExecutionDomain.Set(persona);
        config.MemoryPolicy?.Apply();
        // Entered while still root, as at create: a directory only root may enter is a valid cwd.
        Syscall.Check(LibC.chdir(process.Cwd!), $"chdir to process.cwd {process.Cwd}");
        ContainerInit.VerifyCwd();
        var seccomp = config.Seccomp;
        // Without no_new_privs a filter needs CAP_SYS_ADMIN: loaded before the identity drops it.
        if (SecurityLabels.For(process).Count > 0)
            using (var proc = ProcFs.OpenMounted()) ContainerInit.ApplyLabels(proc, process); // the container's /proc, checked to be a procfs root
        if (seccomp is not null && !process.NoNewPrivileges) ContainerInit.LoadSeccomp(channel, seccomp);
        IdentityExecutor.Become(identity, sys);
        var env = Executable.Environment(process);
        var path = Executable.Resolve(process.Args![0], env);
        if (seccomp is not null && process.NoNewPrivileges) ContainerInit.LoadSeccomp(channel, seccomp);
        // The C stage tied this process to `exec` until now; the process itself lives on its own.
        Syscall.Check(LibC.prctl(Pr.SET_PDEATHSIG, 0, 0, 0, 0), "clear the parent death signal");
        var errno = ContainerInit.ExecOrErrno(path, process.Args, env);
        channel.Send(FrameType.Error, Encoding.UTF8.GetBytes($"exec {path}: {Errno.Describe(errno)}"));
        return errno == Errno.ENOENT ? 127 : 126;
    }
}
