using LibContainer.Interop;
using LibContainer.Kernel;
using LibContainer.Rootfs;

namespace LibContainer.Syscalls;

/// <summary>
/// ISyscalls' root filesystem calls on this kernel. Every container path is
/// resolved by SafePath's openat2 walk, and every mount targets the fd it
/// returned (/proc/self/fd/N of the host's procfs, which init keeps until
/// pivot_root), so a symlink planted in the rootfs cannot redirect a mount.
/// A PathHandle's Id is the fd.
/// </summary>
public sealed unsafe partial class LinuxSyscalls
{
    public PathHandle OpenDirectory(string path) => Own(Fd.Open(path, O.PATH | O.DIRECTORY));

    // The host's /dev/null, checked to be the real 1:3 character device before it is mounted anywhere (CVE-2025-31133).
    public PathHandle OpenDevNull()
    {
        var fd = Fd.Open("/dev/null", O.PATH);
        var st = StatOf(fd.Value);
        if ((st.Mode & StatMode.S_IFMT) != StatMode.S_IFCHR || st.Rdev != Devices.MakeDev(1, 3))
        {
            fd.Dispose();
            throw new ContainerError("/dev/null on the host is not the null device (1:3)");
        }
        return Own(fd);
    }

    public PathHandle Resolve(PathHandle root, string path, Lookup lookup) => Own(lookup switch
    {
        Lookup.MakeDirectory => SafePath.MkdirAll(root.Id, path),
        Lookup.MakeFile => SafePath.CreateFile(root.Id, path),
        Lookup.Directory => SafePath.Open(root.Id, path, O.PATH | O.DIRECTORY),
        _ => SafePath.Open(root.Id, path, O.PATH),
    });

    public PathHandle? TryResolve(PathHandle root, string path, bool followLast, string what)
    {
        var fd = SafePath.TryOpen(root.Id, path, followLast ? O.PATH : O.PATH | O.NOFOLLOW);
        if (fd == -Errno.ENOENT) return null;
        if (fd < 0) throw ContainerError.FromErrno(what, -fd);
        return new PathHandle(this, fd);
    }

    public void Close(PathHandle handle) => LibC.close(handle.Id);

    public bool IsDirectory(PathHandle handle) => (StatOf(handle.Id).Mode & StatMode.S_IFMT) == StatMode.S_IFDIR;

    public ulong LockedMountFlags(PathHandle handle)
    {
        Syscall.Check(LibC.fstatfs(handle.Id, out var st), "statfs");
        return StatfsFlags.LockedMountFlags(st.Flags);
    }

    public void Mount(string? source, PathHandle target, string? fsType, ulong flags, string? data, string what) =>
        MountPath(source, ProcPath(target), fsType, flags, data, what);

    public int TryMount(string? source, PathHandle target, string? fsType, ulong flags, string? data, string what) =>
        LibC.mount(source, ProcPath(target), fsType, flags, string.IsNullOrEmpty(data) ? null : data) < 0 ? Syscall.LastErrno : 0;

    public void Bind(PathHandle source, PathHandle target, bool recursive, string what) =>
        MountPath(ProcPath(source), ProcPath(target), null, MS.BIND | (recursive ? MS.REC : 0), null, what);

    // mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE): the attributes of the mount at fd and every mount below it.
    public bool SetMountAttributes(PathHandle target, ulong set, ulong clear, string what)
    {
        const int AT_RECURSIVE = 0x8000;
        var attr = stackalloc ulong[4]; // struct mount_attr: attr_set, attr_clr, propagation, userns_fd
        attr[0] = set;
        attr[1] = clear;
        attr[2] = attr[3] = 0;
        fixed (byte* empty = "\0"u8)
        {
            if (LibC.syscall(Sys.mount_setattr, target.Id, (long)empty, AT.EMPTY_PATH | AT_RECURSIVE, (long)attr, 32) == 0) return true;
        }
        if (Syscall.LastErrno == Errno.ENOSYS) return false;
        throw ContainerError.FromErrno($"mount {what}", Syscall.LastErrno);
    }

    public void MountPath(string? source, string path, string? fsType, ulong flags, string? data, string what)
    {
        if (LibC.mount(source, path, fsType, flags, string.IsNullOrEmpty(data) ? null : data) < 0)
            throw ContainerError.FromErrno($"mount {what}", Syscall.LastErrno);
    }

    // `dir` is already resolved inside the root: a plain name below it is safe.
    public void MakeDevice(PathHandle dir, string name, uint mode, ulong device, uint uid, uint gid, string path)
    {
        LibC.unlinkat(dir.Id, name, 0);
        if (LibC.mknodat(dir.Id, name, mode, device) < 0)
            throw ContainerError.FromErrno($"create device {path}", Syscall.LastErrno);
        if (LibC.fchownat(dir.Id, name, uid, gid, AT.SYMLINK_NOFOLLOW) < 0)
            throw ContainerError.FromErrno($"chown device {path}", Syscall.LastErrno);
    }

    public int Symlink(PathHandle dir, string name, string target, bool replace)
    {
        if (replace) LibC.unlinkat(dir.Id, name, 0);
        return LibC.symlinkat(target, dir.Id, name) < 0 ? Syscall.LastErrno : 0;
    }

    public HostPathKind KindOfHostPath(string path) =>
        !Path.Exists(path) ? HostPathKind.Missing : Directory.Exists(path) ? HostPathKind.Directory : HostPathKind.Other;

    public IReadOnlyList<MountInfo> Mounts() => MountInfo.OfThisProcess();

    public bool DetachHostMount(string mountPoint)
    {
        if (LibC.mount(null, mountPoint, null, MS.SLAVE | MS.REC, null) < 0) return true; // gone already
        return LibC.umount2(mountPoint, 2 /* MNT_DETACH */) >= 0;
    }

    public void PivotRoot(string rootfs)
    {
        using var oldRoot = Fd.Open("/", O.RDONLY | O.DIRECTORY);
        using var newRoot = Fd.Open(rootfs, O.RDONLY | O.DIRECTORY);
        Syscall.Check(LibC.fchdir(newRoot.Value), $"chdir {rootfs}");
        // pivot_root(".", ".") stacks the old root on top of the new one; detaching "." then drops it.
        fixed (byte* dot = ".\0"u8)
            Syscall.Check(LibC.syscall(Sys.pivot_root, (long)dot, (long)dot, 0, 0, 0), "pivot_root");
        Syscall.Check(LibC.fchdir(oldRoot.Value), "chdir to the old root");
        MountPath(null, ".", null, MS.SLAVE | MS.REC, null, "old root as slave");
        Syscall.Check(LibC.umount2(".", 2 /* MNT_DETACH */), "unmount the old root");
        Syscall.Check(LibC.chdir("/"), "chdir /");
    }

    public void MoveRoot(string rootfs)
    {
        Syscall.Check(LibC.chdir(rootfs), $"chdir {rootfs}");
        MountPath(rootfs, "/", null, MS.MOVE, null, "move of the rootfs onto /");
        Syscall.Check(LibC.chroot("."), "chroot");
        Syscall.Check(LibC.chdir("/"), "chdir /");
    }

    // The handle owns the fd from here on.
    private PathHandle Own(Fd fd) => new(this, fd.Release());

    // Before pivot_root, /proc is still the host's procfs, so /proc/self/fd/N names init's own fds.
    private static string ProcPath(PathHandle handle) => $"/proc/self/fd/{handle.Id}";

    // stat of an fd, O_PATH ones included.
    private static Stat StatOf(int fd)
    {
        Syscall.Check(LibC.fstatat(fd, "", out var st, AT.EMPTY_PATH), "stat");
        return st;
    }
}
