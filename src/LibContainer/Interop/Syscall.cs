using System.Runtime.InteropServices;
using System.Text;

namespace LibContainer.Interop;

/// <summary>Small helpers that turn libc return codes into ContainerErrors.</summary>
internal static unsafe class Syscall
{
    public static int LastErrno => Marshal.GetLastPInvokeError();

    public static int Check(int rc, string what)
    {
        if (rc < 0) throw ContainerError.FromErrno(what, LastErrno);
        return rc;
    }

    public static long Check(long rc, string what)
    {
        if (rc < 0) throw ContainerError.FromErrno(what, LastErrno);
        return rc;
    }

    /// <summary>Retries a call interrupted by a signal.</summary>
    public static int Retry(Func<int> call)
    {
        int rc;
        do rc = call(); while (rc < 0 && LastErrno == Errno.EINTR);
        return rc;
    }

    public static void WriteAll(int fd, ReadOnlySpan<byte> data, string what)
    {
        fixed (byte* p = data)
        {
            var off = 0;
            while (off < data.Length)
            {
                var n = LibC.write(fd, p + off, data.Length - off);
                if (n < 0 && LastErrno == Errno.EINTR) continue;
                if (n < 0) throw ContainerError.FromErrno(what, LastErrno);
                off += (int)n;
            }
        }
    }

    /// <summary>Reads exactly buffer.Length bytes; false on end of file before any byte.</summary>
    public static bool ReadExactly(int fd, Span<byte> buffer, string what)
    {
        fixed (byte* p = buffer)
        {
            var off = 0;
            while (off < buffer.Length)
            {
                var n = LibC.read(fd, p + off, buffer.Length - off);
                if (n < 0 && LastErrno == Errno.EINTR) continue;
                if (n < 0) throw ContainerError.FromErrno(what, LastErrno);
                if (n == 0)
                {
                    if (off == 0) return false;
                    throw new ContainerError($"{what}: unexpected end of stream");
                }
                off += (int)n;
            }
        }
        return true;
    }

    /// <summary>A NULL-terminated array of NUL-terminated UTF-8 strings in one native block.</summary>
    public sealed class CStringArray : IDisposable
    {
        public byte** Pointer { get; }

        public CStringArray(IReadOnlyList<string> items)
        {
            var bytes = new byte[items.Count][];
            var textSize = 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = Encoding.UTF8.GetBytes(items[i]);
                textSize = checked(textSize + bytes[i].Length + 1);
            }
            var size = (bytes.Length + 1) * sizeof(nint) + textSize;
            var block = (byte*)NativeMemory.Alloc((nuint)size);
            Pointer = (byte**)block;
            var text = block + (bytes.Length + 1) * sizeof(nint);
            for (var i = 0; i < bytes.Length; i++)
            {
                Pointer[i] = text;
                bytes[i].CopyTo(new Span<byte>(text, bytes[i].Length));
                text[bytes[i].Length] = 0;
                text += bytes[i].Length + 1;
            }
            Pointer[bytes.Length] = null;
        }

        public void Dispose() => NativeMemory.Free(Pointer);
    }
}
