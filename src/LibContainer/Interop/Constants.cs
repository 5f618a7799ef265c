namespace LibContainer.Interop;

/// <summary>Linux constants (x86_64 values) used across the runtime.</summary>
internal static class O
{
    public const int RDONLY = 0, WRONLY = 1, RDWR = 2;
    public const int CREAT = 0x40, EXCL = 0x80, NOCTTY = 0x100, TRUNC = 0x200, NONBLOCK = 0x800;
    public const int DIRECTORY = 0x10000, NOFOLLOW = 0x20000, CLOEXEC = 0x80000, PATH = 0x200000;
}

internal static class AT
{
    public const int FDCWD = -100;
    public const int SYMLINK_NOFOLLOW = 0x100, REMOVEDIR = 0x200, EMPTY_PATH = 0x1000;
}

internal static class MS
{
    public const ulong RDONLY = 1, NOSUID = 2, NODEV = 4, NOEXEC = 8, SYNCHRONOUS = 16, REMOUNT = 32,
        MANDLOCK = 64, DIRSYNC = 128, NOSYMFOLLOW = 256, NOATIME = 1024, NODIRATIME = 2048, BIND = 4096,
        MOVE = 8192, REC = 16384, SILENT = 32768, POSIXACL = 1 << 16, UNBINDABLE = 1 << 17,
        PRIVATE = 1 << 18, SLAVE = 1 << 19, SHARED = 1 << 20, RELATIME = 1 << 21, I_VERSION = 1 << 23,
        STRICTATIME = 1 << 24, LAZYTIME = 1 << 25;
}

internal static class Clone
{
    public const int NEWNS = 0x00020000, NEWCGROUP = 0x02000000, NEWUTS = 0x04000000, NEWIPC = 0x08000000,
        NEWUSER = 0x10000000, NEWPID = 0x20000000, NEWNET = 0x40000000, NEWTIME = 0x00000080;
}

internal static class Errno
{
    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, EBADF = 9, ECHILD = 10,
        EAGAIN = 11, EACCES = 13, EBUSY = 16, EEXIST = 17, ENOTDIR = 20, EISDIR = 21, EINVAL = 22,
        ENOSPC = 28, EROFS = 30, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40, EXDEV = 18, E2BIG = 7, EFAULT = 14,
        EDOM = 33;

    public static string Describe(int errno) => System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno);
}

internal static class Sys
{
    // x86_64 syscall numbers for calls glibc 2.36 has no wrapper for, or whose wrapper does too much.
    public const long pivot_root = 155, capget = 125, capset = 126, pidfd_send_signal = 424, pidfd_open = 434,
        close_range = 436, openat2 = 437, setresuid = 117, setresgid = 119, setgroups = 116,
        mount_setattr = 442, fsopen = 430, fsconfig = 431, fsmount = 432, getdents64 = 217,
        set_mempolicy = 238;
}

internal static class Pr
{
    public const int SET_PDEATHSIG = 1, SET_DUMPABLE = 4, SET_KEEPCAPS = 8, CAPBSET_READ = 23, CAPBSET_DROP = 24,
        SET_CHILD_SUBREAPER = 36, SET_NO_NEW_PRIVS = 38, CAP_AMBIENT = 47;
    public const int CAP_AMBIENT_RAISE = 2, CAP_AMBIENT_CLEAR_ALL = 4;
}

internal static class StatMode
{
    public const uint S_IFMT = 0xF000, S_IFSOCK = 0xC000, S_IFLNK = 0xA000, S_IFREG = 0x8000, S_IFBLK = 0x6000,
        S_IFDIR = 0x4000, S_IFCHR = 0x2000, S_IFIFO = 0x1000;
}

internal static class Magic
{
    public const long PROC_SUPER = 0x9fa0;
}
