using LibContainer.Interop;
using LibContainer.Kernel;

namespace LibContainer.Rootfs;

/// <summary>mount(2) and friends with errors that say which mount failed.</summary>
internal static class Mounts
{
    public static void Mount(string? source, string target, string? type, ulong flags, string? data, string what)
    {
        if (LibC.mount(source, target, type, flags, string.IsNullOrEmpty(data) ? null : data) < 0)
            throw ContainerError.FromErrno($"mount {what}", Syscall.LastErrno);
    }

    /// <summary>Flags of the mount holding `fd` that a bind remount must keep.</summary>
    public static ulong LockedFlags(Fd fd)
    {
        Syscall.Check(LibC.fstatfs(fd.Value, out var st), "statfs");
        return LockedFlags(st.Flags);
    }

    /// <summary>
    /// statfs's ST_* flags as the MS_* flags a bind remount must repeat: a remount
    /// that leaves out one the mount has (nosuid, nodev, ro...) is refused (EPERM)
    /// where the mount was locked by a less privileged namespace, and would clear it otherwise.
    /// </summary>
    public static ulong LockedFlags(long statfsFlags)
    {
        const long ST_RELATIME = 4096;
        var keep = (ulong)statfsFlags & (MS.RDONLY | MS.NOSUID | MS.NODEV | MS.NOEXEC | MS.SYNCHRONOUS | MS.MANDLOCK | MS.NOATIME | MS.NODIRATIME);
        if ((statfsFlags & ST_RELATIME) != 0) keep |= MS.RELATIME;
        return keep;
    }

    /// <summary>stat of an fd, O_PATH ones included.</summary>
    public static Stat StatOf(Fd fd)
    {
        Syscall.Check(LibC.fstatat(fd.Value, "", out var st, AT.EMPTY_PATH), "stat");
        return st;
    }

    /// <summary>
    /// mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE): sets and clears
    /// MOUNT_ATTR_* on the mount at `fd` and every mount below it; false where
    /// the kernel lacks the call (ENOSYS, before Linux 5.12).
    /// </summary>
    public static unsafe bool TrySetAttributesRecursive(Fd fd, ulong set, ulong clear, string what)
    {
        const int AT_RECURSIVE = 0x8000;
        var attr = stackalloc ulong[4]; // struct mount_attr: attr_set, attr_clr, propagation, userns_fd
        attr[0] = set;
        attr[1] = clear;
        attr[2] = attr[3] = 0;
        fixed (byte* empty = "\0"u8)
        {
            if (LibC.syscall(Sys.mount_setattr, fd.Value, (long)empty, AT.EMPTY_PATH | AT_RECURSIVE, (long)attr, 32) == 0) return true;
        }
        if (Syscall.LastErrno == Errno.ENOSYS) return false;
        throw ContainerError.FromErrno($"mount {what}", Syscall.LastErrno);
    }

    /// <summary>A mount's recursive options (rro, rnosuid, ...), applied to what is now mounted at `dest` and below it.</summary>
    public static void ApplyRecursiveOptions(Fd root, string dest, MountOptions options, string where)
    {
        if (options.RecursiveOptions.Count == 0) return;
        var names = string.Join(',', options.RecursiveOptions);
        using var mounted = SafePath.Open(root, dest, O.PATH);
        if (!TrySetAttributesRecursive(mounted, options.RecursiveSet, options.RecursiveClear, $"{where}: {dest} with {names}"))
            throw new ContainerError($"{where}.options: mount option \"{options.RecursiveOptions[0]}\" needs mount_setattr(2) (Linux 5.12 or later), which this kernel does not have");
    }

    public static bool IsDirectory(Fd fd) => (StatOf(fd).Mode & StatMode.S_IFMT) == StatMode.S_IFDIR;
}
