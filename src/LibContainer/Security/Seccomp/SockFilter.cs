using System.Runtime.InteropServices;

namespace LibContainer.Security.Seccomp;

/// <summary>
/// struct sock_filter: one classic BPF instruction, as seccomp(2) takes them and
/// libseccomp exports them (host byte order). Jumps are relative to the next
/// instruction: 8 bits for a conditional one, 32 for `ja`.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct SockFilter(ushort Code, byte JumpTrue, byte JumpFalse, uint K)
{
    public const int Size = 8;

    /// <summary>The kernel's limit on a program's length (BPF_MAXINSNS).</summary>
    public const int MaxInstructions = 4096;

    // The opcodes the ENOSYS prefix is made of (linux/filter.h).
    public const ushort LoadWordAbsolute = 0x20; // BPF_LD | BPF_W | BPF_ABS
    public const ushort JumpAlways = 0x05;       // BPF_JMP | BPF_JA
    public const ushort JumpIfEqual = 0x15;      // BPF_JMP | BPF_JEQ | BPF_K
    public const ushort JumpIfGreater = 0x25;    // BPF_JMP | BPF_JGT | BPF_K
    public const ushort JumpIfAnySet = 0x45;     // BPF_JMP | BPF_JSET | BPF_K
    public const ushort ReturnConstant = 0x06;   // BPF_RET | BPF_K

    /// <summary>Offsets into struct seccomp_data.</summary>
    public const uint SyscallNumberOffset = 0, ArchitectureOffset = 4;

    public static byte[] ToBytes(IReadOnlyList<SockFilter> program, ReadOnlySpan<byte> after = default)
    {
        var bytes = new byte[program.Count * Size + after.Length];
        for (var i = 0; i < program.Count; i++)
        {
            var insn = program[i];
            MemoryMarshal.Write(bytes.AsSpan(i * Size), in insn);
        }
        after.CopyTo(bytes.AsSpan(program.Count * Size));
        return bytes;
    }

    public static SockFilter[] FromBytes(ReadOnlySpan<byte> bytes)
    {
        var program = new SockFilter[bytes.Length / Size];
        for (var i = 0; i < program.Length; i++) program[i] = MemoryMarshal.Read<SockFilter>(bytes[(i * Size)..]);
        return program;
    }
}
