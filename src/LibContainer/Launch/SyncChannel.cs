using LibContainer.Interop;

namespace LibContainer.Launch;

/// <summary>The parent/init sync socket: frames of u32 type, u32 length, payload.</summary>
internal sealed class SyncChannel(int fd) : IDisposable
{
    public int Fd { get; private set; } = fd;

    public void Send(FrameType type, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[8];
        BitConverter.TryWriteBytes(header, (uint)type);
        BitConverter.TryWriteBytes(header[4..], (uint)payload.Length);
        Syscall.WriteAll(Fd, header, "write to the init sync socket");
        Syscall.WriteAll(Fd, payload, "write to the init sync socket");
    }

    /// <summary>A frame with an fd attached (SCM_RIGHTS); the caller still owns and closes the fd.</summary>
    public void Send(FrameType type, ReadOnlySpan<byte> payload, int fd)
    {
        var frame = new byte[8 + payload.Length];
        BitConverter.TryWriteBytes(frame, (uint)type);
        BitConverter.TryWriteBytes(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame.AsSpan(8));
        UnixRights.Send(Fd, frame, fd, "write to the init sync socket");
    }

    /// <summary>The next frame and an fd that came with it (-1 when none), or null when the other side closed the socket.</summary>
    public (FrameType Type, byte[] Payload, int Fd)? ReceiveWithFd()
    {
        Span<byte> header = stackalloc byte[8];
        if (!UnixRights.Receive(Fd, header, out var fd, "read from the init sync socket")) return null;
        var type = (FrameType)BitConverter.ToUInt32(header);
        var length = BitConverter.ToUInt32(header[4..]);
        if (length > 64 << 20) throw new ContainerError($"init sync socket: frame of {length} bytes is too large");
        var payload = new byte[length];
        if (length > 0 && !Syscall.ReadExactly(Fd, payload, "read from the init sync socket"))
            throw new ContainerError("init sync socket: closed in the middle of a frame");
        return (type, payload, fd);
    }

    /// <summary>The next frame, or null when the other side closed the socket.</summary>
    public (FrameType Type, byte[] Payload)? Receive()
    {
        Span<byte> header = stackalloc byte[8];
        if (!Syscall.ReadExactly(Fd, header, "read from the init sync socket")) return null;
        var type = (FrameType)BitConverter.ToUInt32(header);
        var length = BitConverter.ToUInt32(header[4..]);
        if (length > 64 << 20) throw new ContainerError($"init sync socket: frame of {length} bytes is too large");
        var payload = new byte[length];
        if (length > 0 && !Syscall.ReadExactly(Fd, payload, "read from the init sync socket"))
            throw new ContainerError("init sync socket: closed in the middle of a frame");
        return (type, payload);
    }

    public void Dispose()
    {
        if (Fd >= 0) LibC.close(Fd);
        Fd = -1;
    }
}
