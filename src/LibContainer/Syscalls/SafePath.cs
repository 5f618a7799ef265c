using System.Runtime.InteropServices;
using LibContainer.Interop;
using LibContainer.Rootfs;

namespace LibContainer.Syscalls;

/// <summary>
/// Resolves container-controlled paths inside the rootfs with
/// openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS): a symlink in the rootfs can
/// never lead outside it, whatever it points to. Only LinuxSyscalls uses it:
/// the rootfs executor holds the handles it returns, never the paths.
/// </summary>
internal static unsafe class SafePath
{
    private const ulong RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_IN_ROOT = 0x10;

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags, Mode, Resolve;
    }

    /// <summary>Opens `path` resolved inside `root`; returns -errno on failure.</summary>
    public static int TryOpen(int root, string path, int flags)
    {
        var how = new OpenHow { Flags = (ulong)(flags | O.CLOEXEC), Resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
        var bytes = System.Text.Encoding.UTF8.GetBytes(Relative(path) + "\0");
        fixed (byte* p = bytes)
        {
            var fd = LibC.syscall(Sys.openat2, root, (long)p, (long)&how, sizeof(OpenHow), 0);
            return fd < 0 ? -Syscall.LastErrno : (int)fd;
        }
    }

    public static Fd Open(int root, string path, int flags)
    {
        var fd = TryOpen(root, path, flags);
        if (fd < 0) throw ContainerError.FromErrno($"open {path} in the container", -fd);
        return new Fd(fd);
    }

    /// <summary>Creates every missing directory of `path` inside root and opens the last one (O_PATH).</summary>
    public static Fd MkdirAll(int root, string path, uint mode = 0x1ED /* 0755 */)
    {
        var current = Open(root, "/", O.PATH | O.DIRECTORY);
        var walked = "";
        foreach (var part in ContainerPath.Components(path))
        {
            walked += "/" + part;
            var next = TryOpen(root, walked, O.PATH | O.DIRECTORY);
            if (next == -Errno.ENOENT)
            {
                // `current` is already resolved inside root; a plain name below it is safe.
                var rc = LibC.mkdirat(current.Value, part, mode);
                if (rc < 0 && Syscall.LastErrno != Errno.EEXIST)
                    throw ContainerError.FromErrno($"mkdir {walked} in the container", Syscall.LastErrno);
                next = TryOpen(root, walked, O.PATH | O.DIRECTORY);
            }
            if (next < 0) throw ContainerError.FromErrno($"open {walked} in the container", -next);
            current.Dispose();
            current = new Fd(next);
        }
        return current;
    }

    /// <summary>Creates `path` as an empty file if nothing is there, and opens it (O_PATH).</summary>
    public static Fd CreateFile(int root, string path)
    {
        var existing = TryOpen(root, path, O.PATH);
        if (existing >= 0) return new Fd(existing);
        // An O_PATH directory fd is a valid dirfd for openat, and the parent is already resolved in root.
        using (var parent = MkdirAll(root, ContainerPath.ParentOf(path)))
        using (Fd.OpenAt(parent, ContainerPath.NameOf(path), O.WRONLY | O.CREAT | O.NOFOLLOW, 0x1A4 /* 0644 */)) { }
        return Open(root, path, O.PATH);
    }

    private static string Relative(string path)
    {
        var trimmed = path.TrimStart('/');
        return trimmed.Length == 0 ? "." : trimmed;
    }
}
