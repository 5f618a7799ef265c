using System.Buffers.Binary;

namespace LibContainer.Tests.DeviceFilter;

/// <summary>
/// Runs a BPF_PROG_TYPE_CGROUP_DEVICE program from the bytes the kernel would
/// get, for the few instructions the generator is meant to emit; anything
/// else (another opcode, a read of a register never written, a jump outside
/// the program or backwards, an answer other than 0 or 1) fails the test, as
/// the kernel's verifier would refuse it. Written from the kernel's
/// instruction set document, not from the generator.
/// </summary>
internal static class BpfInterpreter
{
    public sealed record Request(int Type, uint Major, uint Minor, int Access);

    /// <summary>True if the program allows the access (returns 1), false if it denies it (returns 0).</summary>
    public static bool Allows(byte[] program, Request request)
    {
        if (program.Length == 0 || program.Length % 8 != 0) throw new InvalidOperationException($"a program of {program.Length} bytes");
        var context = new uint[] { (uint)request.Access << 16 | (uint)request.Type, request.Major, request.Minor };
        var regs = new ulong?[11];
        regs[1] = ContextPointer;
        var count = program.Length / 8;
        for (var pc = 0; ;)
        {
            if (pc < 0 || pc >= count) throw new InvalidOperationException($"pc {pc} is outside the program of {count} instructions");
            var insn = Decode(program, pc);
            pc++;
            ulong Reg(int r) => regs[r] ?? throw new InvalidOperationException($"instruction {pc - 1} reads r{r}, never written");
            uint W(int r) => (uint)Reg(r);
            void JumpIf(bool taken)
            {
                if (insn.Offset < 0) throw new InvalidOperationException($"instruction {pc - 1} jumps backwards");
                if (taken) pc += insn.Offset;
            }
            switch (insn.Opcode)
            {
                case 0x61: // ldxw dst, [src + off]
                    if (Reg(insn.Src) != ContextPointer || insn.Offset is not (0 or 4 or 8))
                        throw new InvalidOperationException($"instruction {pc - 1} reads memory other than a context field");
                    regs[insn.Dst] = context[insn.Offset / 4];
                    break;
                case 0xbc: regs[insn.Dst] = W(insn.Src); break;                       // mov32 dst, src
                case 0xb4: regs[insn.Dst] = (uint)insn.Immediate; break;              // mov32 dst, imm
                case 0x54: regs[insn.Dst] = W(insn.Dst) & (uint)insn.Immediate; break; // and32 dst, imm
                case 0x74: regs[insn.Dst] = W(insn.Dst) >> (insn.Immediate & 31); break; // rsh32 dst, imm
                case 0x56: JumpIf(W(insn.Dst) != (uint)insn.Immediate); break;       // jne32 dst, imm
                case 0x46: JumpIf((W(insn.Dst) & (uint)insn.Immediate) != 0); break; // jset32 dst, imm
                case 0x05: JumpIf(true); break;                                        // ja
                case 0x95:                                                             // exit
                    return Reg(0) switch
                    {
                        0 => false,
                        1 => true,
                        var other => throw new InvalidOperationException($"the program answered {other}"),
                    };
                default:
                    throw new InvalidOperationException($"instruction {pc - 1} has opcode 0x{insn.Opcode:x2}, which the device program should not need");
            }
        }
    }

    /// <summary>The program as text, one instruction a line, to read in a test and its failures.</summary>
    public static IReadOnlyList<string> Disassemble(byte[] program)
    {
        var lines = new List<string>();
        for (var i = 0; i < program.Length / 8; i++)
        {
            var n = Decode(program, i);
            var imm = $"0x{(uint)n.Immediate:x}";
            lines.Add(n.Opcode switch
            {
                0x61 => $"r{n.Dst} = *(u32 *)(r{n.Src} + {n.Offset})",
                0xbc => $"w{n.Dst} = w{n.Src}",
                0xb4 => $"w{n.Dst} = {n.Immediate}",
                0x54 => $"w{n.Dst} &= {imm}",
                0x74 => $"w{n.Dst} >>= {n.Immediate}",
                0x56 => $"if w{n.Dst} != {imm} goto +{n.Offset}",
                0x46 => $"if w{n.Dst} & {imm} goto +{n.Offset}",
                0x05 => $"goto +{n.Offset}",
                0x95 => "exit",
                _ => $"opcode 0x{n.Opcode:x2}",
            });
        }
        return lines;
    }

    private const ulong ContextPointer = 0xc0de_0000_0000;

    private sealed record Insn(byte Opcode, int Dst, int Src, short Offset, int Immediate);

    private static Insn Decode(byte[] program, int index)
    {
        var at = program.AsSpan(index * 8, 8);
        var dst = at[1] & 0x0f;
        var src = at[1] >> 4;
        if (dst > 10 || src > 10) throw new InvalidOperationException($"instruction {index} names register {Math.Max(dst, src)}");
        return new Insn(at[0], dst, src, BinaryPrimitives.ReadInt16LittleEndian(at[2..]), BinaryPrimitives.ReadInt32LittleEndian(at[4..]));
    }
}
