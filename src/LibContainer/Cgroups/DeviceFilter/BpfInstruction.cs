using System.Buffers.Binary;

namespace LibContainer.Cgroups.DeviceFilter;

/// <summary>
/// One eBPF instruction (struct bpf_insn): an opcode, destination and source
/// registers, a signed offset (jumps: how many instructions to skip) and a
/// signed 32-bit immediate. Only the instructions the device program needs
/// have a maker here; the "32" ones work on the low 32 bits of a register.
/// </summary>
internal readonly record struct BpfInstruction(byte Opcode, byte Dst, byte Src, short Offset, int Immediate)
{
    public const int Size = 8;

    // Opcode = operation | source (K: the immediate, X: the source register) | class.
    private const byte ClassLdx = 0x01, ClassJmp = 0x05, ClassJmp32 = 0x06, ClassAlu32 = 0x04;
    private const byte SourceK = 0x00, SourceX = 0x08;
    private const byte SizeWord = 0x00, ModeMem = 0x60;
    private const byte OpAnd = 0x50, OpRsh = 0x70, OpMov = 0xb0;
    private const byte OpJa = 0x00, OpJset = 0x40, OpJne = 0x50, OpExit = 0x90;

    /// <summary>dst = *(u32 *)(src + offset), zero-extended.</summary>
    public static BpfInstruction LoadWord(byte dst, byte src, short offset) => new(ClassLdx | ModeMem | SizeWord, dst, src, offset, 0);

    /// <summary>dst = src (32-bit).</summary>
    public static BpfInstruction Move32(byte dst, byte src) => new(ClassAlu32 | OpMov | SourceX, dst, src, 0, 0);

    /// <summary>dst = imm (32-bit).</summary>
    public static BpfInstruction Move32(byte dst, int imm) => new(ClassAlu32 | OpMov | SourceK, dst, 0, 0, imm);

    /// <summary>dst &amp;= imm (32-bit).</summary>
    public static BpfInstruction And32(byte dst, int imm) => new(ClassAlu32 | OpAnd | SourceK, dst, 0, 0, imm);

    /// <summary>dst &gt;&gt;= imm (32-bit, logical).</summary>
    public static BpfInstruction RightShift32(byte dst, int imm) => new(ClassAlu32 | OpRsh | SourceK, dst, 0, 0, imm);

    /// <summary>if ((u32)dst != (u32)imm) skip `offset` instructions.</summary>
    public static BpfInstruction JumpIfNotEqual32(byte dst, int imm, short offset) => new(ClassJmp32 | OpJne | SourceK, dst, 0, offset, imm);

    /// <summary>if ((u32)dst &amp; (u32)imm) skip `offset` instructions.</summary>
    public static BpfInstruction JumpIfAnySet32(byte dst, int imm, short offset) => new(ClassJmp32 | OpJset | SourceK, dst, 0, offset, imm);

    /// <summary>Skip `offset` instructions.</summary>
    public static BpfInstruction Jump(short offset) => new(ClassJmp | OpJa, 0, 0, offset, 0);

    /// <summary>Return R0.</summary>
    public static BpfInstruction Exit() => new(ClassJmp | OpExit, 0, 0, 0, 0);

    /// <summary>The bytes BPF_PROG_LOAD takes: 8 per instruction, little-endian (x86_64), dst in the low 4 bits of byte 1.</summary>
    public static byte[] Encode(IReadOnlyList<BpfInstruction> program)
    {
        var bytes = new byte[program.Count * Size];
        for (var i = 0; i < program.Count; i++)
        {
            var insn = program[i];
            var at = bytes.AsSpan(i * Size, Size);
            at[0] = insn.Opcode;
            at[1] = (byte)((insn.Src << 4) | (insn.Dst & 0x0f));
            BinaryPrimitives.WriteInt16LittleEndian(at[2..], insn.Offset);
            BinaryPrimitives.WriteInt32LittleEndian(at[4..], insn.Immediate);
        }
        return bytes;
    }
}
