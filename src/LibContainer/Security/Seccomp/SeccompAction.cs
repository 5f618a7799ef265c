namespace LibContainer.Security.Seccomp;

/// <summary>
/// A filter's return value (SECCOMP_RET_*): the action in the high bits, the
/// errno or trace data in the low 16. Two rules act alike when these are equal.
/// </summary>
public readonly record struct SeccompAction(uint Value)
{
    /// <summary>The errno an errno or trace action returns when the config gives none, as runc does.</summary>
    public const uint DefaultErrno = 1; // EPERM

    public static SeccompAction Of(SeccompActionKind kind, uint? errnoRet) => new(kind switch
    {
        SeccompActionKind.KillThread => 0x00000000,
        SeccompActionKind.KillProcess => 0x80000000,
        SeccompActionKind.Trap => 0x00030000,
        SeccompActionKind.Errno => 0x00050000 | (errnoRet ?? DefaultErrno),
        SeccompActionKind.Trace => 0x7ff00000 | (errnoRet ?? DefaultErrno),
        SeccompActionKind.Log => 0x7ffc0000,
        SeccompActionKind.Allow => 0x7fff0000,
        SeccompActionKind.Notify => 0x7fc00000,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    });

    /// <summary>ERRNO(ENOSYS): what a syscall newer than the profile gets.</summary>
    public static SeccompAction Enosys { get; } = Of(SeccompActionKind.Errno, 38);

    /// <summary>Actions that take an errno (errnoRet); for the others the spec says a runtime must refuse one.</summary>
    public static bool TakesErrno(SeccompActionKind kind) => kind is SeccompActionKind.Errno or SeccompActionKind.Trace;

    /// <summary>
    /// Actions that let a syscall through (trace: to a tracer that can handle
    /// what it does not know); with one of these as default, nothing needs ENOSYS.
    /// </summary>
    public static bool LetsThrough(SeccompActionKind kind) =>
        kind is SeccompActionKind.Allow or SeccompActionKind.Log or SeccompActionKind.Trace;
}
