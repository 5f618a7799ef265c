using System.Text;
using LibContainer.Interop;

namespace LibContainer.Syscalls;

/// <summary>
/// tmpcopyup: what a directory holds, copied into the tmpfs mounted over it.
/// Everything goes through fds of the two trees (openat with O_NOFOLLOW,
/// fstatat without following, getdents64), never a path from the container's
/// root, so a symlink inside the directory is copied as a symlink and never
/// leads the copy anywhere else.
/// </summary>
public sealed unsafe partial class LinuxSyscalls
{
    // Deeper than any image directory; a guard against a pathological tree.
    private const int MaxCopyDepth = 128;

    public PathHandle OpenContents(PathHandle directory)
    {
        var fd = LibC.openat(directory.Id, ".", O.RDONLY | O.DIRECTORY | O.CLOEXEC, 0);
        if (fd < 0) throw ContainerError.FromErrno("tmpcopyup: open the directory to copy", Syscall.LastErrno);
        return new PathHandle(this, fd);
    }

    public void CopyTree(PathHandle from, PathHandle into, string what)
    {
        var to = LibC.openat(into.Id, ".", O.RDONLY | O.DIRECTORY | O.CLOEXEC, 0);
        if (to < 0) throw ContainerError.FromErrno($"{what}: open the tmpfs", Syscall.LastErrno);
        using var target = new Fd(to);
        // The tmpfs's root takes the mode of the directory it covers, as runc's chmod does.
        var top = StatOf(from.Id);
        Syscall.Check(LibC.fchmodat(to, ".", top.Mode & 0xFFF, 0), $"{what}: chmod the tmpfs");
        CopyDirectory(from.Id, to, what, "", 0);
    }

    private void CopyDirectory(int from, int to, string what, string relative, int depth)
    {
        if (depth > MaxCopyDepth) throw new ContainerError($"{what}: tmpcopyup: {relative} is more than {MaxCopyDepth} directories deep");
        foreach (var name in DirectoryEntries(from, what))
        {
            var path = relative + "/" + name;
            if (LibC.fstatat(from, name, out var st, AT.SYMLINK_NOFOLLOW) < 0)
                throw ContainerError.FromErrno($"{what}: tmpcopyup: stat {path}", Syscall.LastErrno);
            var mode = st.Mode & 0xFFF;
            switch (st.Mode & StatMode.S_IFMT)
            {
                case StatMode.S_IFDIR:
                    Syscall.Check(LibC.mkdirat(to, name, 0x1C0), $"{what}: tmpcopyup: mkdir {path}");
                    using (var sub = OpenChild(from, name, O.RDONLY | O.DIRECTORY, what, path))
                    using (var subTo = OpenChild(to, name, O.RDONLY | O.DIRECTORY, what, path))
                        CopyDirectory(sub.Value, subTo.Value, what, path, depth + 1);
                    break;
                case StatMode.S_IFREG:
                    CopyFile(from, to, name, what, path);
                    break;
                case StatMode.S_IFLNK:
                    Syscall.Check(LibC.symlinkat(ReadLink(from, name, what, path), to, name), $"{what}: tmpcopyup: symlink {path}");
                    break;
                case StatMode.S_IFCHR or StatMode.S_IFBLK or StatMode.S_IFIFO:
                    Syscall.Check(LibC.mknodat(to, name, st.Mode, st.Rdev), $"{what}: tmpcopyup: mknod {path}");
                    break;
                default:
                    continue; // a socket is not content: nothing to copy
            }
            Syscall.Check(LibC.fchownat(to, name, st.Uid, st.Gid, AT.SYMLINK_NOFOLLOW), $"{what}: tmpcopyup: chown {path}");
            // After the chown, which clears set-id bits; a symlink has no mode of its own.
            if ((st.Mode & StatMode.S_IFMT) != StatMode.S_IFLNK)
                Syscall.Check(LibC.fchmodat(to, name, mode, 0), $"{what}: tmpcopyup: chmod {path}");
        }
    }

    private static Fd OpenChild(int dir, string name, int flags, string what, string path)
    {
        var fd = LibC.openat(dir, name, flags | O.NOFOLLOW | O.CLOEXEC, 0);
        if (fd < 0) throw ContainerError.FromErrno($"{what}: tmpcopyup: open {path}", Syscall.LastErrno);
        return new Fd(fd);
    }

    private static void CopyFile(int from, int to, string name, string what, string path)
    {
        using var source = OpenChild(from, name, O.RDONLY, what, path);
        var fd = LibC.openat(to, name, O.WRONLY | O.CREAT | O.EXCL | O.NOFOLLOW | O.CLOEXEC, 0x180);
        if (fd < 0) throw ContainerError.FromErrno($"{what}: tmpcopyup: create {path}", Syscall.LastErrno);
        using var target = new Fd(fd);
        var buffer = stackalloc byte[64 * 1024];
        while (true)
        {
            var n = LibC.read(source.Value, buffer, 64 * 1024);
            if (n < 0 && Syscall.LastErrno == Errno.EINTR) continue;
            if (n < 0) throw ContainerError.FromErrno($"{what}: tmpcopyup: read {path}", Syscall.LastErrno);
            if (n == 0) return;
            Syscall.WriteAll(target.Value, new ReadOnlySpan<byte>(buffer, (int)n), $"{what}: tmpcopyup: write {path}");
        }
    }

    private static string ReadLink(int dir, string name, string what, string path)
    {
        var buffer = stackalloc byte[4096];
        var n = LibC.readlinkat(dir, name, buffer, 4096);
        if (n < 0) throw ContainerError.FromErrno($"{what}: tmpcopyup: readlink {path}", Syscall.LastErrno);
        return Encoding.UTF8.GetString(buffer, (int)n);
    }

    // getdents64's linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, then the name and its NUL.
    private static List<string> DirectoryEntries(int dir, string what)
    {
        var names = new List<string>();
        var buffer = new byte[32 * 1024];
        fixed (byte* p = buffer)
            while (true)
            {
                var n = LibC.syscall(Sys.getdents64, dir, (long)p, buffer.Length, 0, 0);
                if (n < 0) throw ContainerError.FromErrno($"{what}: tmpcopyup: read a directory", Syscall.LastErrno);
                if (n == 0) return names;
                for (var at = 0; at < n;)
                {
                    var length = BitConverter.ToUInt16(buffer, at + 16);
                    var nameStart = at + 19;
                    var nameEnd = Array.IndexOf(buffer, (byte)0, nameStart, at + length - nameStart);
                    var name = Encoding.UTF8.GetString(buffer, nameStart, (nameEnd < 0 ? at + length : nameEnd) - nameStart);
                    if (name is not ("." or "..")) names.Add(name);
                    at += length;
                }
            }
    }
}
