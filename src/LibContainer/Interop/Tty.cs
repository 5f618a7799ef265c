using System.Runtime.InteropServices;

namespace LibContainer.Interop;

/// <summary>The terminal calls: pty ioctls, sessions, termios (x86_64 values).</summary>
internal static unsafe partial class Tty
{
    public const ulong TCGETS = 0x5401, TCSETS = 0x5402, TIOCSCTTY = 0x540E, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414,
        TIOCGPTN = 0x80045430, TIOCSPTLCK = 0x40045431, TIOCGPTPEER = 0x5441;

    /// <summary>devpts' superblock magic, and the ptmx node every devpts instance has (5:2, inode 2).</summary>
    public const long DEVPTS_SUPER_MAGIC = 0x1cd1;
    public const ulong PTMX_INO = 2;

    public const long open_tree = 428, move_mount = 429;
    public const int OPEN_TREE_CLONE = 1, MOVE_MOUNT_F_EMPTY_PATH = 0x4, MOVE_MOUNT_T_EMPTY_PATH = 0x40;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int ioctl(int fd, ulong request, void* arg);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int ioctl(int fd, ulong request, nint arg);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setsid();

    [LibraryImport("libc", SetLastError = true)]
    public static partial int dup3(int oldfd, int newfd, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fchown(int fd, uint owner, uint group);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int isatty(int fd);

    [LibraryImport("libc")]
    public static partial void cfmakeraw(byte* termios);
}

/// <summary>struct winsize.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct WindowSize
{
    public ushort Rows, Columns, XPixels, YPixels;
}
