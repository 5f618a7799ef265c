using System.Runtime.InteropServices;

namespace OciRun;

/// <summary>
/// The reason of a failed file operation in strerror's words ("No such file or
/// directory"), not .NET's ("Could not find a part of the path '...'"), which
/// repeats the path and reads oddly after "write PATH: ".
/// </summary>
public static class IoError
{
    private const int ENOENT = 2, EACCES = 13, ENAMETOOLONG = 36;

    public static string Reason(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => Marshal.GetPInvokeErrorMessage(ENOENT),
        UnauthorizedAccessException => Marshal.GetPInvokeErrorMessage(EACCES),
        PathTooLongException => Marshal.GetPInvokeErrorMessage(ENAMETOOLONG),
        // Other IOExceptions on Linux carry the errno in HResult.
        IOException { HResult: > 0 and < 4096 } io => Marshal.GetPInvokeErrorMessage(io.HResult),
        _ => e.Message,
    };
}
