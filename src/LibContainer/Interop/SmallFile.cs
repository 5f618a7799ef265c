namespace LibContainer.Interop;

/// <summary>
/// Reads a small file with open/read/close. File.ReadAllBytes also takes an
/// advisory flock and an fstat per file (its FileShare emulation), which
/// `list` pays for every container.
/// </summary>
internal static unsafe class SmallFile
{
    public static string? TryReadText(string path) => TryRead(path) is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : null;

    /// <summary>
    /// The content, or null when the file (or its directory) does not exist.
    /// For a regular file (`regular`), a short read is the end: one read(2) fewer.
    /// </summary>
    public static byte[]? TryRead(string path, bool regular = false)
    {
        var fd = LibC.open(path, O.RDONLY | O.CLOEXEC, 0);
        if (fd < 0)
        {
            var errno = Syscall.LastErrno;
            if (errno is Errno.ENOENT or Errno.ENOTDIR or Errno.ESRCH) return null;
            throw ContainerError.FromErrno($"open {path}", errno);
        }
        try
        {
            // The first 4 KiB go to the stack: `list` reads a thousand files, and a fresh
            // zeroed heap buffer for each cost more than the reads.
            Span<byte> stack = stackalloc byte[4096];
            byte[]? heap = null;
            var length = 0;
            while (true)
            {
                var buffer = heap ?? stack;
                if (length == buffer.Length)
                {
                    var bigger = new byte[buffer.Length * 2];
                    buffer.CopyTo(bigger);
                    heap = bigger;
                    buffer = bigger;
                }
                nint n;
                fixed (byte* p = buffer) n = LibC.read(fd, p + length, buffer.Length - length);
                if (n < 0 && Syscall.LastErrno == Errno.EINTR) continue;
                if (n < 0)
                {
                    // A process that exits while we read its /proc files.
                    if (Syscall.LastErrno == Errno.ESRCH) return null;
                    throw ContainerError.FromErrno($"read {path}", Syscall.LastErrno);
                }
                if (n == 0) return buffer[..length].ToArray();
                length += (int)n;
                if (regular && length < buffer.Length) return buffer[..length].ToArray();
            }
        }
        finally
        {
            LibC.close(fd);
        }
    }
}
