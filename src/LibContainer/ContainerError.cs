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
}
