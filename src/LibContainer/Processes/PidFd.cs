using LibContainer.Interop;
using LibContainer.State;

namespace LibContainer.Processes;

/// <summary>
/// A pidfd of a container's init, checked against the start time saved at
/// create: a signal through it can never reach a process that reused the PID.
/// </summary>
internal sealed unsafe class PidFd : IDisposable
{
    private readonly Fd _fd;

    private PidFd(Fd fd) => _fd = fd;

    /// <summary>The process, or null when it is gone or the PID now belongs to another process.</summary>
    public static PidFd? Open(int pid, ulong startTime)
    {
        if (pid <= 0) return null;
        var fd = LibC.syscall(Sys.pidfd_open, pid, 0, 0, 0, 0);
        if (fd < 0)
        {
            if (Syscall.LastErrno == Errno.ESRCH) return null;
            throw ContainerError.FromErrno($"pidfd_open {pid}", Syscall.LastErrno);
        }
        var handle = new PidFd(new Fd((int)fd));
        // Checked after opening: from here on the pidfd pins the process we verified.
        if (!ProcessProbe.IsSameAlive(pid, startTime))
        {
            handle.Dispose();
            return null;
        }
        return handle;
    }

    public void Signal(int signal)
    {
        if (LibC.syscall(Sys.pidfd_send_signal, _fd.Value, signal, 0, 0, 0) < 0)
        {
            // It exited since it was opened: runc's words, which containerd's shim looks for.
            if (Syscall.LastErrno == Errno.ESRCH) throw new ContainerError("container not running");
            throw ContainerError.FromErrno($"send signal {signal}", Syscall.LastErrno);
        }
    }

    /// <summary>Waits until `other` is readable and returns its first byte, or -1 when the process exits first.</summary>
    public int WaitForByte(Fd other)
    {
        const short POLLIN = 1;
        var fds = stackalloc PollFd[2];
        fds[0] = new PollFd { Fd = other.Value, Events = POLLIN };
        fds[1] = new PollFd { Fd = _fd.Value, Events = POLLIN };
        while (true)
        {
            var rc = LibC.poll(fds, 2, -1);
            if (rc < 0 && Syscall.LastErrno == Errno.EINTR) continue;
            Syscall.Check(rc, "poll");
            if (fds[0].Revents != 0)
            {
                byte b;
                var n = LibC.read(other.Value, &b, 1);
                if (n == 1) return b;
                if (n == 0) return -1; // the writer closed without a byte: init failed
            }
            if (fds[1].Revents != 0) return -1;
            fds[0].Revents = fds[1].Revents = 0;
        }
    }

    /// <summary>SIGKILL, then wait (bounded) for the process to be gone.</summary>
    public void KillAndWait()
    {
        Kill();
        WaitUntilKilled();
    }

    /// <summary>SIGKILL; nothing to do when the process is already gone.</summary>
    public void Kill() => LibC.syscall(Sys.pidfd_send_signal, _fd.Value, 9, 0, 0, 0);

    /// <summary>Waits (bounded) for a process sent SIGKILL to be gone.</summary>
    public void WaitUntilKilled()
    {
        if (!WaitForExit(10_000)) throw new ContainerError("the container's init did not exit within 10s of SIGKILL");
    }

    /// <summary>True once the process has exited, false when `timeoutMs` passed first.</summary>
    public bool WaitForExit(int timeoutMs)
    {
        const short POLLIN = 1;
        var pfd = new PollFd { Fd = _fd.Value, Events = POLLIN };
        int rc;
        do rc = LibC.poll(&pfd, 1, timeoutMs); while (rc < 0 && Syscall.LastErrno == Errno.EINTR);
        Syscall.Check(rc, "poll");
        return rc > 0;
    }

    public void Dispose() => _fd.Dispose();
}
