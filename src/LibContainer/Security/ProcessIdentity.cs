using LibContainer.Interop;
using LibContainer.Kernel;
using LibContainer.Spec;

namespace LibContainer.Security;

/// <summary>
/// The last privileged steps of init, on the thread that will execve:
/// rlimits, the bounding set, user and groups, capabilities, umask, no_new_privs.
/// </summary>
internal static unsafe class ProcessIdentity
{
    public static void SetRlimits(IEnumerable<Rlimit>? rlimits)
    {
        foreach (var r in rlimits ?? [])
        {
            var resource = RlimitNames.Number(r.Type!)!.Value;
            var limit = new RLimit { Soft = r.Soft, Hard = r.Hard };
            if (LibC.prlimit(0, resource, in limit, out _) < 0)
                throw ContainerError.FromErrno($"set {r.Type} to soft {r.Soft}, hard {r.Hard}", Syscall.LastErrno);
        }
    }

    public static void Apply(Process process, int lastCap)
    {
        var caps = process.Capabilities;
        var known = caps is null ? 0 : (lastCap >= 63 ? ulong.MaxValue : (1UL << (lastCap + 1)) - 1);
        if (caps is not null)
            Capabilities.DropBounding(CapabilityNames.Mask(caps.Bounding, "process.capabilities.bounding"), lastCap);

        var user = process.User ?? new User();
        // Keep the permitted set across the uid change; capset then sets exactly what the config asks.
        Syscall.Check(LibC.prctl(Pr.SET_KEEPCAPS, 1, 0, 0, 0), "prctl PR_SET_KEEPCAPS");
        // Raw syscalls change this thread only, like capset: it is the one that
        // execs, and execve ends every other thread. glibc's wrappers would stop
        // each runtime thread to change it too, at ~70 us a call.
        var groups = (user.AdditionalGids ?? []).ToArray();
        fixed (uint* g = groups)
            Syscall.Check(LibC.syscall(Sys.setgroups, groups.Length, (long)g, 0, 0, 0), "setgroups");
        Syscall.Check(LibC.syscall(Sys.setresgid, user.Gid, user.Gid, user.Gid, 0, 0), $"setgid {user.Gid}");
        Syscall.Check(LibC.syscall(Sys.setresuid, user.Uid, user.Uid, user.Uid, 0, 0), $"setuid {user.Uid}");
        Syscall.Check(LibC.prctl(Pr.SET_KEEPCAPS, 0, 0, 0, 0), "prctl PR_SET_KEEPCAPS");

        if (caps is not null)
        {
            var permitted = CapabilityNames.Mask(caps.Permitted, "process.capabilities.permitted") & known;
            var inheritable = CapabilityNames.Mask(caps.Inheritable, "process.capabilities.inheritable") & known;
            Capabilities.Set(CapabilityNames.Mask(caps.Effective, "process.capabilities.effective") & known, permitted, inheritable);
            // The kernel only lets a capability be ambient if it is permitted and inheritable;
            // like runc, the others in the ambient list have no effect (runc's default spec relies on it).
            var ambient = CapabilityNames.Mask(caps.Ambient, "process.capabilities.ambient") & permitted & inheritable;
            Capabilities.SetAmbient(ambient, lastCap);
        }

        LibC.umask(user.Umask ?? 0x12 /* 0022 */);
        if (process.NoNewPrivileges)
            Syscall.Check(LibC.prctl(Pr.SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl PR_SET_NO_NEW_PRIVS");
    }
}
