using LibContainer.Interop;

namespace LibContainer.Rootfs;

/// <summary>mount(2) and friends with errors that say which mount failed.</summary>
internal static class Mounts
{
    public static void Mount(string? source, string target, string? type, ulong flags, string? data, string what)
    {
        if (LibC.mount(source, target, type, flags, string.IsNullOrEmpty(data) ? null : data) < 0)
            throw ContainerError.FromErrno($"mount {what}", Syscall.LastErrno);
    }

    /// <summary>Flags of the mount holding `fd` that a bind remount must keep (statfs ST_* to MS_*).</summary>
    public static ulong LockedFlags(Fd fd)
    {
        Syscall.Check(LibC.fstatfs(fd.Value, out var st), "statfs");
        const long ST_RELATIME = 4096;
        var keep = (ulong)st.Flags & (MS.RDONLY | MS.NOSUID | MS.NODEV | MS.NOEXEC | MS.SYNCHRONOUS | MS.MANDLOCK | MS.NOATIME | MS.NODIRATIME);
        if ((st.Flags & ST_RELATIME) != 0) keep |= MS.RELATIME;
        return keep;
    }

    /// <summary>stat of an fd, O_PATH ones included.</summary>
    public static Stat StatOf(Fd fd)
    {
        Syscall.Check(LibC.fstatat(fd.Value, "", out var st, AT.EMPTY_PATH), "stat");
        return st;
    }

    public static bool IsDirectory(Fd fd) => (StatOf(fd).Mode & StatMode.S_IFMT) == StatMode.S_IFDIR;
}
