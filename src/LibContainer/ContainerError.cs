namespace LibContainer;

/// <summary>
/// The one error type of the runtime. Its message is meant for a person: it
/// says what failed and, where it helps, what to do. The CLI prints it as is.
/// </summary>
public sealed class ContainerError : Exception
{
    public ContainerError(string message) : base(message) { }

    public ContainerError(string message, Exception inner) : base(message, inner) { }

    /// <summary>An error for a failed syscall: "what: strerror(errno)".</summary>
    public static ContainerError FromErrno(string what, int errno) =>
        new($"{what}: {Interop.Errno.Describe(errno)}");

    /// <summary>An error for a failed .NET file operation, in strerror's words, not .NET's
    /// ("Could not find a part of the path '...'"), which repeat the path.</summary>
    public static ContainerError FromIo(string what, Exception e) => new($"{what}: {Reason(e)}");

    public static string Reason(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => Interop.Errno.Describe(Interop.Errno.ENOENT),
        UnauthorizedAccessException => Interop.Errno.Describe(Interop.Errno.EACCES),
        PathTooLongException => Interop.Errno.Describe(36 /* ENAMETOOLONG */),
        // Other IOExceptions on Linux carry the errno in HResult.
        IOException { HResult: > 0 and < 4096 } io => Interop.Errno.Describe(io.HResult),
        _ => e.Message,
    };
}
