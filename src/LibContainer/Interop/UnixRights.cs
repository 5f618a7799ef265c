using System.Runtime.InteropServices;
using System.Text;

namespace LibContainer.Interop;

/// <summary>
/// An fd passed over a unix socket (SCM_RIGHTS), and a connection to a unix
/// socket by path: how the seccomp listener goes from init to create, and from
/// create to the agent at listenerPath.
/// </summary>
internal static unsafe partial class UnixRights
{
    private const int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = 0x80000, SOL_SOCKET = 1, SCM_RIGHTS = 1;
    private const int MSG_CMSG_CLOEXEC = 0x40000000, MSG_NOSIGNAL = 0x4000;

    /// <summary>Sends data with one fd attached; all of data goes (a stream may take it in pieces).</summary>
    public static void Send(int socket, ReadOnlySpan<byte> data, int fd, string what)
    {
        var control = stackalloc byte[ControlSize];
        new Span<byte>(control, ControlSize).Clear();
        var header = (CmsgHdr*)control;
        header->Length = (ulong)(sizeof(CmsgHdr) + sizeof(int));
        header->Level = SOL_SOCKET;
        header->Type = SCM_RIGHTS;
        *(int*)(control + sizeof(CmsgHdr)) = fd;
        fixed (byte* p = data)
        {
            var iov = new IoVec { Base = p, Length = (nuint)data.Length };
            var msg = new MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = (nuint)ControlSize };
            long sent;
            do sent = sendmsg(socket, &msg, MSG_NOSIGNAL); while (sent < 0 && Syscall.LastErrno == Errno.EINTR);
            if (sent < 0) throw ContainerError.FromErrno(what, Syscall.LastErrno);
            if (sent < data.Length) Syscall.WriteAll(socket, data[(int)sent..], what); // the fd went with the first byte
        }
    }

    /// <summary>Fills data (exactly, or false at end of stream before any byte) and returns an fd that came with it, or -1.</summary>
    public static bool Receive(int socket, Span<byte> data, out int fd, string what)
    {
        fd = -1;
        var control = stackalloc byte[ControlSize];
        fixed (byte* p = data)
        {
            var iov = new IoVec { Base = p, Length = (nuint)data.Length };
            var msg = new MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = (nuint)ControlSize };
            long n;
            do n = recvmsg(socket, &msg, MSG_CMSG_CLOEXEC); while (n < 0 && Syscall.LastErrno == Errno.EINTR);
            if (n < 0) throw ContainerError.FromErrno(what, Syscall.LastErrno);
            if (msg.ControlLength >= (nuint)(sizeof(CmsgHdr) + sizeof(int)))
            {
                var header = (CmsgHdr*)control;
                if (header->Level == SOL_SOCKET && header->Type == SCM_RIGHTS) fd = *(int*)(control + sizeof(CmsgHdr));
            }
            if (n == 0) return false;
            if (n < data.Length && !Syscall.ReadExactly(socket, data[(int)n..], what))
                throw new ContainerError($"{what}: unexpected end of stream");
        }
        return true;
    }

    /// <summary>A caller's socket flag (--console-socket, --pidfd-socket): refused when the path is something else, else connected.</summary>
    public static Fd ConnectFlag(string flag, string path)
    {
        var what = $"{flag} {path}";
        if (LibC.fstatat(AT.FDCWD, path, out var st, 0) == 0 && (st.Mode & StatMode.S_IFMT) != StatMode.S_IFSOCK)
            throw new ContainerError($"{what}: not a unix socket");
        return Connect(path, $"{what}: connect");
    }

    /// <summary>A stream socket connected to the unix socket at path.</summary>
    public static Fd Connect(string path, string what)
    {
        var bytes = Encoding.UTF8.GetBytes(path);
        var address = new SockaddrUn { Family = AF_UNIX };
        if (bytes.Length >= 108) throw new ContainerError($"{what}: the path is longer than a unix socket's 107 bytes");
        bytes.CopyTo(new Span<byte>(address.Path, 108));
        var socket = new Fd(Syscall.Check(LibC.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), what));
        int rc;
        do rc = LibC.connect(socket.Value, &address, (uint)sizeof(SockaddrUn)); while (rc < 0 && Syscall.LastErrno == Errno.EINTR);
        if (rc < 0)
        {
            var errno = Syscall.LastErrno;
            socket.Dispose();
            throw ContainerError.FromErrno(what, errno);
        }
        return socket;
    }

    // One cmsghdr and one int, aligned to 8 bytes (CMSG_SPACE(sizeof(int))).
    private static int ControlSize => (sizeof(CmsgHdr) + sizeof(int) + 7) & ~7;

    [LibraryImport("libc", SetLastError = true)]
    private static partial long sendmsg(int socket, MsgHdr* message, int flags);

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

    [StructLayout(LayoutKind.Sequential)]
    private struct CmsgHdr
    {
        public ulong Length;
        public int Level;
        public int Type;
    }
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SockaddrUn
{
    public ushort Family;
    public fixed byte Path[108];
}
