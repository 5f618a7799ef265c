using System.Runtime.InteropServices;

namespace LibContainer.Interop;

/// <summary>
/// The bpf(2) commands the cgroup device filter uses, over the raw syscall
/// (glibc has no wrapper). Each returns the syscall's result: a value or fd
/// on success, -1 with the errno in Syscall.LastErrno on failure.
/// The attr structs are the leading fields of union bpf_attr that these
/// commands read; the kernel zero-fills what a shorter struct leaves out.
/// </summary>
internal static unsafe class Bpf
{
    private const long SysBpf = 321; // x86_64

    private const int PROG_LOAD = 5, PROG_ATTACH = 8, PROG_DETACH = 9, PROG_GET_FD_BY_ID = 13, PROG_QUERY = 16;

    public const uint PROG_TYPE_CGROUP_DEVICE = 15;
    public const uint CGROUP_DEVICE = 6; // the attach type
    public const uint F_ALLOW_MULTI = 2;

    /// <summary>The most programs one cgroup takes per attach type (BPF_CGROUP_MAX_PROGS).</summary>
    public const int MaxProgramsPerCgroup = 64;

    /// <summary>BPF_PROG_LOAD: a new program's fd. log may be empty (no verifier log asked for).</summary>
    public static int LoadProgram(uint type, ReadOnlySpan<byte> instructions, ReadOnlySpan<byte> licenseZ, ReadOnlySpan<byte> name, Span<byte> log)
    {
        fixed (byte* insns = instructions)
        fixed (byte* license = licenseZ)
        fixed (byte* logBuffer = log)
        {
            var attr = new ProgLoadAttr
            {
                ProgType = type,
                InsnCount = (uint)(instructions.Length / 8),
                Insns = (ulong)insns,
                License = (ulong)license,
                LogLevel = log.IsEmpty ? 0u : 1u,
                LogSize = (uint)log.Length,
                LogBuffer = log.IsEmpty ? 0 : (ulong)logBuffer,
            };
            name[..Math.Min(name.Length, 15)].CopyTo(new Span<byte>(attr.Name, 16)); // NUL-terminated within 16 bytes
            return (int)LibC.syscall(SysBpf, PROG_LOAD, (long)&attr, sizeof(ProgLoadAttr), 0, 0);
        }
    }

    /// <summary>BPF_PROG_ATTACH of a program to a target (a cgroup directory's fd).</summary>
    public static int Attach(int targetFd, int programFd, uint attachType, uint flags)
    {
        var attr = new AttachAttr { TargetFd = (uint)targetFd, AttachBpfFd = (uint)programFd, AttachType = attachType, AttachFlags = flags };
        return (int)LibC.syscall(SysBpf, PROG_ATTACH, (long)&attr, sizeof(AttachAttr), 0, 0);
    }

    /// <summary>BPF_PROG_DETACH of one program (by its fd) from a target.</summary>
    public static int Detach(int targetFd, int programFd, uint attachType)
    {
        var attr = new AttachAttr { TargetFd = (uint)targetFd, AttachBpfFd = (uint)programFd, AttachType = attachType };
        return (int)LibC.syscall(SysBpf, PROG_DETACH, (long)&attr, sizeof(AttachAttr), 0, 0);
    }

    /// <summary>
    /// BPF_PROG_QUERY: the ids of the programs attached to the target itself
    /// (not its ancestors'), into ids; count is how many there are (also on ENOSPC,
    /// when ids was too short), attachFlags the flags they were attached with.
    /// </summary>
    public static int Query(int targetFd, uint attachType, Span<uint> ids, out int count, out uint attachFlags)
    {
        fixed (uint* p = ids)
        {
            var attr = new QueryAttr { TargetFd = (uint)targetFd, AttachType = attachType, ProgIds = (ulong)p, ProgCount = (uint)ids.Length };
            var rc = (int)LibC.syscall(SysBpf, PROG_QUERY, (long)&attr, sizeof(QueryAttr), 0, 0);
            count = (int)attr.ProgCount;
            attachFlags = attr.AttachFlags;
            return rc;
        }
    }

    /// <summary>BPF_PROG_GET_FD_BY_ID: an fd of a loaded program, to detach it by.</summary>
    public static int ProgramFdById(uint id)
    {
        var attr = new GetFdByIdAttr { ProgId = id };
        return (int)LibC.syscall(SysBpf, PROG_GET_FD_BY_ID, (long)&attr, sizeof(GetFdByIdAttr), 0, 0);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ProgLoadAttr
    {
        public uint ProgType;
        public uint InsnCount;
        public ulong Insns;
        public ulong License;
        public uint LogLevel;
        public uint LogSize;
        public ulong LogBuffer;
        public uint KernVersion;
        public uint ProgFlags;
        public fixed byte Name[16];
        public uint ProgIfIndex;
        public uint ExpectedAttachType;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct AttachAttr
    {
        public uint TargetFd;
        public uint AttachBpfFd;
        public uint AttachType;
        public uint AttachFlags;
        public uint ReplaceBpfFd;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct QueryAttr
    {
        public uint TargetFd;
        public uint AttachType;
        public uint QueryFlags;
        public uint AttachFlags;
        public ulong ProgIds;
        public uint ProgCount; // the struct's 8-byte alignment pads it to the kernel's 32 bytes
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct GetFdByIdAttr
    {
        public uint ProgId;
        public uint NextId;
        public uint OpenFlags;
    }
}
