namespace LibContainer.Security.Seccomp;

/// <summary>What an action does; with its errno (or trace data) it becomes the filter's 32-bit return value.</summary>
public enum SeccompActionKind
{
    KillThread,
    KillProcess,
    Trap,
    Errno,
    Trace,
    Log,
    Allow,
    Notify,
}

/// <summary>
/// The names config.json uses in linux.seccomp (libseccomp's, SCMP_*) and what
/// they stand for: actions, argument operators, architectures and filter flags.
/// Validation, the plan and `features` read the same tables.
/// </summary>
public static class SeccompNames
{
    /// <summary>SCMP_ACT_KILL is the thread's kill, as in libseccomp and runc.</summary>
    public static readonly IReadOnlyList<(string Name, SeccompActionKind Kind)> Actions =
    [
        ("SCMP_ACT_KILL", SeccompActionKind.KillThread),
        ("SCMP_ACT_KILL_THREAD", SeccompActionKind.KillThread),
        ("SCMP_ACT_KILL_PROCESS", SeccompActionKind.KillProcess),
        ("SCMP_ACT_TRAP", SeccompActionKind.Trap),
        ("SCMP_ACT_ERRNO", SeccompActionKind.Errno),
        ("SCMP_ACT_TRACE", SeccompActionKind.Trace),
        ("SCMP_ACT_LOG", SeccompActionKind.Log),
        ("SCMP_ACT_ALLOW", SeccompActionKind.Allow),
        ("SCMP_ACT_NOTIFY", SeccompActionKind.Notify),
    ];

    /// <summary>enum scmp_compare of seccomp.h.</summary>
    public static readonly IReadOnlyList<(string Name, uint Number)> Operators =
    [
        ("SCMP_CMP_NE", 1),
        ("SCMP_CMP_LT", 2),
        ("SCMP_CMP_LE", 3),
        ("SCMP_CMP_EQ", 4),
        ("SCMP_CMP_GE", 5),
        ("SCMP_CMP_GT", 6),
        ("SCMP_CMP_MASKED_EQ", 7),
    ];

    /// <summary>
    /// libseccomp's architecture tokens: the kernel's AUDIT_ARCH_* values, but
    /// for x32, which the kernel reports as x86_64 with bit 30 set in the syscall
    /// number. A filter takes only architectures of the host's byte order.
    /// </summary>
    public static readonly IReadOnlyList<(string Name, uint Token)> Architectures =
    [
        ("SCMP_ARCH_X86", 0x40000003),
        ("SCMP_ARCH_X86_64", 0xC000003E),
        ("SCMP_ARCH_X32", 0x4000003E),
        ("SCMP_ARCH_ARM", 0x40000028),
        ("SCMP_ARCH_AARCH64", 0xC00000B7),
        ("SCMP_ARCH_MIPS", 0x00000008),
        ("SCMP_ARCH_MIPS64", 0x80000008),
        ("SCMP_ARCH_MIPS64N32", 0xA0000008),
        ("SCMP_ARCH_MIPSEL", 0x40000008),
        ("SCMP_ARCH_MIPSEL64", 0xC0000008),
        ("SCMP_ARCH_MIPSEL64N32", 0xE0000008),
        ("SCMP_ARCH_PPC", 0x00000014),
        ("SCMP_ARCH_PPC64", 0x80000015),
        ("SCMP_ARCH_PPC64LE", 0xC0000015),
        ("SCMP_ARCH_S390", 0x00000016),
        ("SCMP_ARCH_S390X", 0x80000016),
        ("SCMP_ARCH_PARISC", 0x0000000F),
        ("SCMP_ARCH_PARISC64", 0x8000000F),
        ("SCMP_ARCH_RISCV64", 0xC00000F3),
    ];

    public const uint X32Token = 0x4000003E;

    /// <summary>
    /// The filter flags the runtime-spec names, with their SECCOMP_FILTER_FLAG_* bits;
    /// TSYNC is not in the spec, but runc takes it (every filter here is TSYNC anyway).
    /// </summary>
    public static readonly IReadOnlyList<(string Name, uint Bit)> Flags =
    [
        ("SECCOMP_FILTER_FLAG_TSYNC", 1),
        ("SECCOMP_FILTER_FLAG_LOG", 2),
        ("SECCOMP_FILTER_FLAG_SPEC_ALLOW", 4),
        ("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 32),
    ];

    public static SeccompActionKind? Action(string? name) => Find(Actions, name);

    public static uint? Operator(string? name) => Find(Operators, name);

    public static uint? Architecture(string? name) => Find(Architectures, name);

    public static uint? Flag(string? name) => Find(Flags, name);

    public static string ArchitectureName(uint token)
    {
        foreach (var (name, value) in Architectures)
            if (value == token) return name;
        return $"0x{token:x8}";
    }

    private static T? Find<T>(IReadOnlyList<(string Name, T Value)> table, string? name) where T : struct
    {
        foreach (var (known, value) in table)
            if (known == name) return value;
        return null;
    }
}
