using LibContainer.Interop;

namespace LibContainer.Syscalls;

/// <summary>ISyscalls on this kernel, through the Interop room.</summary>
public sealed unsafe partial class LinuxSyscalls : ISyscalls
{
    public void SetRlimit(int resource, ulong soft, ulong hard, string what)
    {
        var limit = new RLimit { Soft = soft, Hard = hard };
        if (LibC.prlimit(0, resource, in limit, out _) < 0)
            throw ContainerError.FromErrno($"set {what} to soft {soft}, hard {hard}", Syscall.LastErrno);
    }

    public void DropBoundingCapability(int capability)
    {
        if (LibC.prctl(Pr.CAPBSET_DROP, (ulong)capability, 0, 0, 0) < 0 && Syscall.LastErrno != Errno.EINVAL)
            throw ContainerError.FromErrno($"drop capability {capability} from the bounding set", Syscall.LastErrno);
    }

    public void SetKeepCapabilities(bool keep) =>
        Syscall.Check(LibC.prctl(Pr.SET_KEEPCAPS, keep ? 1UL : 0, 0, 0, 0), "prctl PR_SET_KEEPCAPS");

    // set*id are raw syscalls: they change this thread only, like capset. It is the one
    // that execs, and execve ends every other thread; glibc's wrappers would stop each
    // runtime thread to change it too, at ~70 us a call.
    public void SetGroups(uint[] groups)
    {
        fixed (uint* g = groups)
            Syscall.Check(LibC.syscall(Sys.setgroups, groups.Length, (long)g, 0, 0, 0), "setgroups");
    }

    public void SetGid(uint gid) => Syscall.Check(LibC.syscall(Sys.setresgid, gid, gid, gid, 0, 0), $"setgid {gid}");

    public void SetUid(uint uid) => Syscall.Check(LibC.syscall(Sys.setresuid, uid, uid, uid, 0, 0), $"setuid {uid}");

    public void SetCapabilities(ulong effective, ulong permitted, ulong inheritable) =>
        Security.Capabilities.Set(effective, permitted, inheritable);

    public void ClearAmbientCapabilities() =>
        Syscall.Check(LibC.prctl(Pr.CAP_AMBIENT, Pr.CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "clear ambient capabilities");

    public void RaiseAmbientCapability(int capability) =>
        Syscall.Check(LibC.prctl(Pr.CAP_AMBIENT, Pr.CAP_AMBIENT_RAISE, (ulong)capability, 0, 0), $"raise ambient capability {capability}");

    public void SetUmask(uint mask) => LibC.umask(mask);

    public void SetNoNewPrivileges() =>
        Syscall.Check(LibC.prctl(Pr.SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl PR_SET_NO_NEW_PRIVS");

    public int LoadSeccompFilter(byte[] program, uint flags)
    {
        var rc = SeccompSyscall.SetModeFilter(flags, program);
        if (rc < 0)
        {
            var errno = Syscall.LastErrno;
            throw ContainerError.FromErrno(errno == Errno.EACCES
                ? "linux.seccomp: load the filter (without no_new_privs it needs CAP_SYS_ADMIN)"
                : "linux.seccomp: load the filter", errno);
        }
        var listener = (flags & SeccompSyscall.FLAG_NEW_LISTENER) != 0;
        // With TSYNC, a positive answer is the thread that could not take the filter.
        if (!listener && rc > 0) throw new ContainerError($"linux.seccomp: thread {rc} of init could not take the filter");
        return listener ? (int)rc : -1;
    }

}
