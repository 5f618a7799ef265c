using System.Runtime.InteropServices;

namespace LibContainer.Interop;

/// <summary>
/// The parts of libseccomp (2.5) the seccomp filter is built with. The static
/// libseccomp.a is linked into the binary (DirectPInvoke, OciRun.csproj), as
/// the C stage is; unit tests, which run on the JIT, load libseccomp.so instead.
/// The functions return a negative errno on failure and do not set errno.
/// </summary>
internal static unsafe partial class LibSeccomp
{
    private const string Lib = "libseccomp";

    [LibraryImport(Lib)]
    public static partial nint seccomp_init(uint defaultAction);

    [LibraryImport(Lib)]
    public static partial void seccomp_release(nint ctx);

    [LibraryImport(Lib)]
    public static partial int seccomp_arch_add(nint ctx, uint archToken);

    [LibraryImport(Lib)]
    public static partial uint seccomp_arch_native();

    [LibraryImport(Lib)]
    public static partial int seccomp_attr_set(nint ctx, int attribute, uint value);

    /// <summary>The syscall's number on an architecture; -1 (__NR_SCMP_ERROR) when unknown, below -1 for a pseudo-syscall that arch lacks.</summary>
    [LibraryImport(Lib)]
    public static partial int seccomp_syscall_resolve_name_arch(uint archToken, byte* name);

    [LibraryImport(Lib)]
    public static partial int seccomp_rule_add_array(nint ctx, uint action, int syscall, uint argCount, ScmpArgCmp* args);

    /// <summary>Writes the filter as classic BPF (struct sock_filter[], host byte order) to fd.</summary>
    [LibraryImport(Lib)]
    public static partial int seccomp_export_bpf(nint ctx, int fd);

    [LibraryImport(Lib)]
    public static partial ScmpVersion* seccomp_version();

    /// <summary>seccomp.h's filter attributes (enum scmp_filter_attr).</summary>
    public const int ATTR_CTL_NNP = 3, ATTR_CTL_TSYNC = 4, ATTR_CTL_LOG = 6, ATTR_CTL_SSB = 7, ATTR_CTL_OPTIMIZE = 8;

    public const int NR_SCMP_ERROR = -1;
}

/// <summary>struct scmp_arg_cmp: one argument comparison of a rule.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ScmpArgCmp
{
    public uint Arg;
    public uint Op;
    public ulong DatumA;
    public ulong DatumB;
}

[StructLayout(LayoutKind.Sequential)]
internal struct ScmpVersion
{
    public uint Major;
    public uint Minor;
    public uint Micro;
}

/// <summary>seccomp(2) over the raw syscall: glibc 2.36 has no wrapper.</summary>
internal static unsafe class SeccompSyscall
{
    private const long SysSeccomp = 317; // x86_64

    public const uint SET_MODE_FILTER = 1;

    public const uint FLAG_TSYNC = 1, FLAG_LOG = 2, FLAG_SPEC_ALLOW = 4, FLAG_NEW_LISTENER = 8, FLAG_TSYNC_ESRCH = 16,
        FLAG_WAIT_KILLABLE_RECV = 32;

    /// <summary>SECCOMP_SET_MODE_FILTER with a program of struct sock_filter; the syscall's result (-1 and errno on failure).</summary>
    public static long SetModeFilter(uint flags, ReadOnlySpan<byte> program)
    {
        fixed (byte* p = program)
        {
            var fprog = new SockFprog { Length = (ushort)(program.Length / 8), Filter = p };
            return LibC.syscall(SysSeccomp, SET_MODE_FILTER, flags, (long)&fprog, 0, 0);
        }
    }

    /// <summary>Whether the kernel knows a filter flag: with no program, it answers EFAULT for a flag it takes, EINVAL for one it does not.</summary>
    public static bool KernelHasFlag(uint flag)
    {
        // WAIT_KILLABLE_RECV is only taken together with NEW_LISTENER.
        var flags = flag == FLAG_WAIT_KILLABLE_RECV ? flag | FLAG_NEW_LISTENER : flag;
        return LibC.syscall(SysSeccomp, SET_MODE_FILTER, flags, 0, 0, 0) < 0 && Syscall.LastErrno == Errno.EFAULT;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SockFprog
    {
        public ushort Length;
        public byte* Filter;
    }
}
