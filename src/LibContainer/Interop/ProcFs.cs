namespace LibContainer.Interop;

/// <summary>
/// Handles on procfs that init can trust: the host's /proc, checked to be a
/// procfs, for what must be read before the rootfs exists; and a private
/// procfs instance of the container's own PID namespace, for what init does
/// after pivot_root, so init never reads a file the container could have
/// replaced, and never holds a handle that leads to the host's processes.
/// </summary>
internal static unsafe class ProcFs
{
    /// <summary>The host's /proc as this process sees it before the rootfs is set up.</summary>
    public static Fd OpenHost() => Verified(Fd.Open("/proc", O.PATH | O.DIRECTORY), "/proc");

    /// <summary>
    /// A new procfs instance, mounted nowhere (fsopen, Linux 5.2): it shows the
    /// PID namespace of the caller, so through it a process that can read
    /// init's fds reaches only the container's own processes. Null where the
    /// kernel lacks the new mount API.
    /// </summary>
    public static Fd? OpenPrivate()
    {
        const int FSOPEN_CLOEXEC = 1, FSMOUNT_CLOEXEC = 1, FSCONFIG_CMD_CREATE = 6;
        const long MOUNT_ATTR_NOSUID = 2, MOUNT_ATTR_NODEV = 4, MOUNT_ATTR_NOEXEC = 8;
        long context;
        fixed (byte* proc = "proc\0"u8) context = LibC.syscall(Sys.fsopen, (long)proc, FSOPEN_CLOEXEC, 0, 0, 0);
        if (context < 0)
        {
            if (Syscall.LastErrno == Errno.ENOSYS) return null;
            throw ContainerError.FromErrno("open a procfs for the container (fsopen)", Syscall.LastErrno);
        }
        using var owned = new Fd((int)context);
        Syscall.Check(LibC.syscall(Sys.fsconfig, context, FSCONFIG_CMD_CREATE, 0, 0, 0), "create a procfs for the container (fsconfig)");
        var mount = LibC.syscall(Sys.fsmount, context, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, 0, 0);
        return Verified(new Fd((int)Syscall.Check(mount, "mount a procfs for the container (fsmount)")), "the container's procfs");
    }

    /// <summary>The container's /proc after pivot_root, where the kernel has no fsopen: checked to be a procfs root.</summary>
    public static Fd OpenMounted() => Verified(Fd.Open("/proc", O.PATH | O.DIRECTORY), "/proc in the container");

    /// <summary>A small file under a procfs handle, as text.</summary>
    public static string Read(Fd proc, string relative)
    {
        using var fd = new Fd(Syscall.Check(LibC.openat(proc.Value, relative, O.RDONLY | O.CLOEXEC | O.NOFOLLOW, 0), $"open /proc/{relative}"));
        var buffer = stackalloc byte[256];
        var n = Syscall.Check((int)LibC.read(fd.Value, buffer, 256), $"read /proc/{relative}");
        return System.Text.Encoding.ASCII.GetString(buffer, n);
    }

    private static Fd Verified(Fd fd, string what)
    {
        const ulong PROC_ROOT_INO = 1;
        if (LibC.fstatfs(fd.Value, out var fs) < 0 || fs.Type != Magic.PROC_SUPER ||
            LibC.fstatat(fd.Value, "", out var st, AT.EMPTY_PATH) < 0 || st.Ino != PROC_ROOT_INO)
        {
            fd.Dispose();
            throw new ContainerError($"{what} is not the root of a procfs");
        }
        return fd;
    }
}
