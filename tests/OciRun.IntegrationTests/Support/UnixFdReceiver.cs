using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace OciRun.IntegrationTests.Support;

/// <summary>
/// A --console-socket or --pidfd-socket listener, as containerd's shim and
/// conmon have one: it accepts the runtime's connection and takes the fd passed
/// with SCM_RIGHTS (a pty's master, a pidfd), and the data sent with it.
/// </summary>
public sealed unsafe partial class UnixFdReceiver : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    public string Path { get; }

    public UnixFdReceiver(string dir)
    {
        Path = System.IO.Path.Combine(dir, $"console-{Guid.NewGuid():N}.sock");
        _listener.Bind(new UnixDomainSocketEndPoint(Path));
        _listener.Listen(1);
    }

    /// <summary>The master the runtime sent (null if it connected and sent nothing), with the message's data.</summary>
    public (PtyMaster? Master, string Name) Receive()
    {
        var (fd, name) = ReceiveFd();
        return (fd is { } master ? new PtyMaster(master) : null, name);
    }

    /// <summary>The fd the runtime sent (null if it sent none; the caller closes it), with the message's data.</summary>
    public (int? Fd, string Data) ReceiveFd()
    {
        if (!_listener.Poll(TimeSpan.FromSeconds(30), SelectMode.SelectRead)) throw new TimeoutException("the runtime never connected to the console socket");
        using var connection = _listener.Accept();
        var data = new byte[4096];
        var control = stackalloc byte[32];
        fixed (byte* d = data)
        {
            var iov = new IoVec { Base = d, Length = (nuint)data.Length };
            var msg = new MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = 32 };
            var n = recvmsg((int)connection.Handle, &msg, 0);
            if (n < 0) throw new IOException($"recvmsg: errno {Marshal.GetLastPInvokeError()}");
            var name = Encoding.UTF8.GetString(data, 0, (int)n);
            // cmsghdr: u64 length, i32 level, i32 type, then the fd.
            if (msg.ControlLength < 20 || *(int*)(control + 8) != 1 /* SOL_SOCKET */ || *(int*)(control + 12) != 1 /* SCM_RIGHTS */) return (null, name);
            return (*(int*)(control + 16), name);
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        File.Delete(Path);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial long recvmsg(int socket, MsgHdr* message, int flags);

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }
}

/// <summary>The master side of a container's pty, as the test holds it: what is typed in, what the container printed.</summary>
public sealed unsafe partial class PtyMaster(int fd) : IDisposable
{
    private const ulong TIOCGPTN = 0x80045430, TIOCSPTLCK = 0x40045431, TIOCSWINSZ = 0x5414, TCGETS = 0x5401;

    public int Fd { get; private set; } = fd;

    /// <summary>A new pty of the test's own (the host's devpts), its slave at /dev/pts/Number: a terminal to hand a runtime.</summary>
    public static PtyMaster Open()
    {
        var fd = open("/dev/ptmx", 2 /* O_RDWR */ | 0x100 /* O_NOCTTY */ | 0x80000 /* O_CLOEXEC */);
        if (fd < 0) throw new IOException($"open /dev/ptmx: errno {Marshal.GetLastPInvokeError()}");
        var master = new PtyMaster(fd);
        int unlock = 0;
        if (ioctl(fd, TIOCSPTLCK, &unlock) < 0) throw new IOException($"unlock the pty: errno {Marshal.GetLastPInvokeError()}");
        return master;
    }

    public string SlavePath => $"/dev/pts/{Number}";

    /// <summary>Sets the terminal's window size, as a terminal emulator does when its window changes.</summary>
    public void Resize(ushort rows, ushort columns)
    {
        var size = stackalloc ushort[4];
        size[0] = rows;
        size[1] = columns;
        size[2] = size[3] = 0;
        if (ioctl(Fd, TIOCSWINSZ, (int*)size) < 0) throw new IOException($"TIOCSWINSZ: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>The terminal's settings (the kernel's struct termios), as its user would find them.</summary>
    public byte[] Settings()
    {
        var termios = new byte[36];
        fixed (byte* t = termios)
            if (ioctl(Fd, TCGETS, (int*)t) < 0) throw new IOException($"TCGETS: errno {Marshal.GetLastPInvokeError()}");
        return termios;
    }

    /// <summary>The pty's number (TIOCGPTN): a master that works answers it.</summary>
    public int Number
    {
        get
        {
            int n;
            if (ioctl(Fd, TIOCGPTN, &n) < 0) throw new IOException($"TIOCGPTN: errno {Marshal.GetLastPInvokeError()}");
            return n;
        }
    }

    public void Type(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        fixed (byte* b = bytes)
            if (write(Fd, b, bytes.Length) != bytes.Length) throw new IOException($"write to the master: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>What the container prints until the text appears (or every process holding the pty is gone).</summary>
    public string ReadUntil(string text, int timeoutSeconds = 30) => Read(s => s.Contains(text), timeoutSeconds);

    /// <summary>Everything the container prints until every process holding the pty is gone (EIO).</summary>
    public string ReadToEnd(int timeoutSeconds = 30) => Read(_ => false, timeoutSeconds);

    private string Read(Func<string, bool> done, int timeoutSeconds)
    {
        var output = new StringBuilder();
        var buffer = new byte[4096];
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!done(output.ToString()))
        {
            var left = (int)(deadline - DateTime.UtcNow).TotalMilliseconds;
            if (left <= 0) throw new TimeoutException($"the container's terminal said only: {output}");
            var pfd = new PollFd { Fd = Fd, Events = 1 };
            if (poll(&pfd, 1, left) <= 0) continue;
            nint n;
            fixed (byte* b = buffer) n = read(Fd, b, buffer.Length);
            if (n <= 0) break; // EIO: the slave is closed everywhere
            output.Append(Encoding.UTF8.GetString(buffer, 0, (int)n));
        }
        return output.ToString();
    }

    public void Dispose()
    {
        if (Fd >= 0) close(Fd);
        Fd = -1;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events, Revents;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ioctl(int fd, ulong request, int* arg);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int poll(PollFd* fds, ulong count, int timeout);

    [LibraryImport("libc")]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);
}
