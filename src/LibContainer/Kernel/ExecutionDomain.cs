using LibContainer.Interop;

namespace LibContainer.Kernel;

/// <summary>
/// linux.personality: the execution domain the process runs in, set with
/// personality(2) just before the process starts (create's and exec's), as
/// runc 1.2 does. LINUX32 is what `setarch i686` gives: uname says i686.
/// </summary>
public static class ExecutionDomain
{
    private const ulong PerLinux = 0x0000, PerLinux32 = 0x0008;

    /// <summary>The persona value of a domain, null for one this runtime does not know.</summary>
    public static ulong? ValueOf(string? domain) => domain switch
    {
        "LINUX" => PerLinux,
        "LINUX32" => PerLinux32,
        _ => null,
    };

    public static void Set(ulong persona) =>
        Syscall.Check(LibC.personality(persona), $"personality 0x{persona:x} (linux.personality)");
}
