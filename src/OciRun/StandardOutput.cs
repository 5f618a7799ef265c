using System.Runtime.InteropServices;
using System.Text;

namespace OciRun;

/// <summary>
/// Writes text to stdout or stderr with write(2), in one call where the pipe
/// takes it: System.Console would split it into many writes and bring its
/// terminal handling into every start.
/// </summary>
public static partial class StandardOutput
{
    public static void Write(string text) => WriteAll(1, text);

    /// <summary>Write, saying whether all of it went out: false once stdout is a closed pipe.</summary>
    public static bool TryWrite(string text) => WriteAll(1, text);

    public static void Error(string text) => WriteAll(2, text);

    /// <summary>The same for another open file, such as the --log file.</summary>
    public static void WriteTo(int fd, string text) => WriteAll(fd, text);

    private static unsafe bool WriteAll(int fd, string text)
    {
        const int EINTR = 4;
        var bytes = Encoding.UTF8.GetBytes(text);
        fixed (byte* start = bytes)
        {
            for (var done = 0; done < bytes.Length;)
            {
                var n = write(fd, start + done, bytes.Length - done);
                if (n < 0 && Marshal.GetLastPInvokeError() == EINTR) continue;
                if (n <= 0) return false; // a closed pipe or a full disk: nothing better to do with the output
                done += (int)n;
            }
        }
        return true;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint write(int fd, byte* buffer, nint count);
}
