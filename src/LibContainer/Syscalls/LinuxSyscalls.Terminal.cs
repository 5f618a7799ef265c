using LibContainer.Interop;
using LibContainer.Rootfs;
using LibContainer.Terminal;

namespace LibContainer.Syscalls;

/// <summary>ISyscalls' terminal calls on this kernel: the pty in the container's devpts and its /dev/console bind.</summary>
public sealed unsafe partial class LinuxSyscalls
{
    public Pty OpenPty(PathHandle root)
    {
        // The container's /dev/ptmx (runc's rootfs makes it a symlink to pts/ptmx), resolved inside root.
        using var ptmx = SafePath.Open(root.Id, "/dev/ptmx", O.RDWR | O.NOCTTY);
        var st = StatOf(ptmx.Value);
        Syscall.Check(LibC.fstatfs(ptmx.Value, out var fs), "statfs /dev/ptmx");
        if (fs.Type != Tty.DEVPTS_SUPER_MAGIC || (st.Mode & StatMode.S_IFMT) != StatMode.S_IFCHR
            || st.Rdev != Devices.MakeDev(5, 2) || st.Ino != Tty.PTMX_INO)
            throw new ContainerError("process.terminal: /dev/ptmx in the container is not the ptmx of a devpts mount (mount devpts on /dev/pts)");
        int unlock = 0, number = 0;
        Syscall.Check(Tty.ioctl(ptmx.Value, Tty.TIOCSPTLCK, &unlock), "process.terminal: unlock the pty");
        Syscall.Check(Tty.ioctl(ptmx.Value, Tty.TIOCGPTN, &number), "process.terminal: the pty's number");
        var slave = Tty.ioctl(ptmx.Value, Tty.TIOCGPTPEER, O.RDWR | O.NOCTTY | O.CLOEXEC);
        if (slave < 0) throw ContainerError.FromErrno("process.terminal: open the pty's slave (TIOCGPTPEER)", Syscall.LastErrno);
        return new Pty(new PathHandle(this, ptmx.Release()), new PathHandle(this, slave), number);
    }

    public void ResizePty(Pty pty, ushort rows, ushort columns)
    {
        var size = new WindowSize { Rows = rows, Columns = columns };
        Syscall.Check(Tty.ioctl(pty.Master.Id, Tty.TIOCSWINSZ, &size), "process.consoleSize: set the pty's size");
    }

    public PathHandle MakeConsole(PathHandle root)
    {
        using var dev = SafePath.Open(root.Id, "/dev", O.PATH | O.DIRECTORY);
        // `dev` is resolved inside root: a plain name below it is safe. O_NOFOLLOW|O_EXCL never follows a symlink.
        var made = LibC.openat(dev.Value, "console", O.WRONLY | O.CREAT | O.EXCL | O.NOFOLLOW | O.CLOEXEC, 0x1B6 /* 0666 */);
        if (made >= 0) LibC.close(made);
        else if (Syscall.LastErrno != Errno.EEXIST)
            throw ContainerError.FromErrno("process.terminal: create /dev/console in the container", Syscall.LastErrno);
        var console = new Fd(Syscall.Check(LibC.openat(dev.Value, "console", O.PATH | O.NOFOLLOW | O.CLOEXEC, 0), "process.terminal: open /dev/console in the container"));
        var type = StatOf(console.Value).Mode & StatMode.S_IFMT;
        if (type is not (StatMode.S_IFREG or StatMode.S_IFCHR))
        {
            console.Dispose();
            throw new ContainerError("process.terminal: /dev/console in the container is a symlink or not a file; refusing to mount the console over it");
        }
        return new PathHandle(this, console.Release());
    }

    public void BindPty(Pty pty, PathHandle target, string what)
    {
        fixed (byte* empty = "\0"u8)
        {
            var tree = (int)LibC.syscall(Tty.open_tree, pty.Slave.Id, (long)empty, Tty.OPEN_TREE_CLONE | O.CLOEXEC | AT.EMPTY_PATH, 0, 0);
            if (tree < 0) throw ContainerError.FromErrno($"mount {what}: open_tree", Syscall.LastErrno);
            using var owned = new Fd(tree);
            if (LibC.syscall(Tty.move_mount, tree, (long)empty, target.Id, (long)empty, Tty.MOVE_MOUNT_F_EMPTY_PATH | Tty.MOVE_MOUNT_T_EMPTY_PATH) < 0)
                throw ContainerError.FromErrno($"mount {what}: move_mount", Syscall.LastErrno);
        }
    }

    public void AttachTerminal(Pty pty, uint uid)
    {
        Syscall.Check(Tty.fchown(pty.Slave.Id, uid, uint.MaxValue), $"process.terminal: chown the pty to {uid}");
        for (var fd = 0; fd <= 2; fd++)
            Syscall.Check(Tty.dup3(pty.Slave.Id, fd, 0), "process.terminal: the pty as stdio");
        Syscall.Check(Tty.setsid(), "process.terminal: setsid");
        Syscall.Check(Tty.ioctl(0, Tty.TIOCSCTTY, 0), "process.terminal: make the pty the controlling terminal");
    }
}
