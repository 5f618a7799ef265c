using System.Buffers.Binary;
using LibContainer.Interop;

namespace LibContainer.Network;

/// <summary>
/// A NETLINK_ROUTE socket, in the network namespace of the thread that opens
/// it: requests answered with an acknowledgement, and dumps. Only what moving
/// a network device takes (links and addresses).
/// </summary>
internal sealed unsafe class RtNetlink : IDisposable
{
    public const ushort NewLink = 16, NewAddr = 20, GetAddr = 22;
    public const ushort Request = 1, Ack = 4, Dump = 0x300, Create = 0x400, Excl = 0x200;
    private const ushort Error = 2, Done = 3;
    private const int AF_NETLINK = 16, SOCK_RAW = 3, SOCK_CLOEXEC = 0x80000, NETLINK_ROUTE = 0;

    private readonly Fd _socket;
    private uint _sequence;

    private RtNetlink(Fd socket) => _socket = socket;

    public static RtNetlink Open()
    {
        var fd = LibC.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        Syscall.Check(fd, "open a netlink socket");
        return new RtNetlink(new Fd(fd));
    }

    /// <summary>Sends a request (header filled in here) and waits for its acknowledgement; a refusal is the kernel's errno.</summary>
    public void Call(ushort type, ushort flags, ReadOnlySpan<byte> body, string what)
    {
        var seq = Send(type, (ushort)(flags | Request | Ack), body, what);
        foreach (var (t, _, payload) in Receive(seq, what))
            if (t == Error)
            {
                var errno = -BinaryPrimitives.ReadInt32LittleEndian(payload);
                if (errno != 0) throw ContainerError.FromErrno(what, errno);
                return;
            }
        throw new ContainerError($"{what}: the kernel did not answer");
    }

    /// <summary>A dump request's answers, each message's payload by type.</summary>
    public List<byte[]> DumpAll(ushort type, ReadOnlySpan<byte> body, string what)
    {
        var seq = Send(type, (ushort)(Request | Dump), body, what);
        var answers = new List<byte[]>();
        while (true)
            foreach (var (t, _, payload) in Receive(seq, what))
            {
                if (t == Done) return answers;
                if (t == Error)
                {
                    var errno = -BinaryPrimitives.ReadInt32LittleEndian(payload);
                    throw ContainerError.FromErrno(what, errno);
                }
                answers.Add(payload);
            }
    }

    private uint Send(ushort type, ushort flags, ReadOnlySpan<byte> body, string what)
    {
        var seq = ++_sequence;
        var message = new byte[16 + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), seq);
        body.CopyTo(message.AsSpan(16));
        fixed (byte* p = message)
            if (LibC.send(_socket.Value, p, (nuint)message.Length, 0) != message.Length)
                throw ContainerError.FromErrno($"{what}: netlink send", Syscall.LastErrno);
        return seq;
    }

    // One datagram's messages for `seq`: (type, flags, payload).
    private List<(ushort Type, ushort Flags, byte[] Payload)> Receive(uint seq, string what)
    {
        var buffer = new byte[65536];
        long n;
        fixed (byte* p = buffer)
            do n = LibC.recv(_socket.Value, p, (nuint)buffer.Length, 0);
            while (n < 0 && Syscall.LastErrno == Errno.EINTR);
        if (n < 0) throw ContainerError.FromErrno($"{what}: netlink receive", Syscall.LastErrno);
        var messages = new List<(ushort, ushort, byte[])>();
        var offset = 0;
        while (offset + 16 <= n)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(offset));
            if (length < 16 || offset + length > n) break;
            var type = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(offset + 4));
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(offset + 6));
            if (BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(offset + 8)) == seq)
                messages.Add((type, flags, buffer.AsSpan(offset + 16, length - 16).ToArray()));
            offset += (length + 3) & ~3;
        }
        return messages;
    }

    /// <summary>An attribute: u16 length, u16 type, the value, padded to 4 bytes.</summary>
    public static void AddAttribute(List<byte> buffer, ushort type, ReadOnlySpan<byte> value)
    {
        Span<byte> header = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], type);
        buffer.AddRange(header);
        buffer.AddRange(value);
        while (buffer.Count % 4 != 0) buffer.Add(0);
    }

    /// <summary>The attributes after a fixed header of `skip` bytes, by type (the last of each type).</summary>
    public static Dictionary<ushort, byte[]> Attributes(byte[] payload, int skip)
    {
        var attributes = new Dictionary<ushort, byte[]>();
        var offset = skip;
        while (offset + 4 <= payload.Length)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(offset));
            if (length < 4 || offset + length > payload.Length) break;
            attributes[BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(offset + 2))] = payload.AsSpan(offset + 4, length - 4).ToArray();
            offset += (length + 3) & ~3;
        }
        return attributes;
    }

    public void Dispose() => _socket.Dispose();
}
