using System.Buffers.Binary;

namespace LibContainer.Tests.SeccompFilter;

/// <summary>
/// Runs a seccomp program (classic BPF, as seccomp(2) takes it) on one syscall
/// and returns the filter's answer (SECCOMP_RET_*). Written from the kernel's
/// description of classic BPF and struct seccomp_data, not from the code
/// under test; an instruction outside what seccomp accepts, a jump out of the
/// program or a load outside seccomp_data fails the test.
/// </summary>
internal static class SeccompInterpreter
{
    public const uint AuditArchX86_64 = 0xC000003E, AuditArchI386 = 0x40000003, AuditArchAarch64 = 0xC00000B7;
    public const int X32Bit = 0x40000000;

    public const uint Allow = 0x7fff0000, KillThread = 0, KillProcess = 0x80000000, Trap = 0x00030000, Log = 0x7ffc0000;

    public static uint Errno(int errno) => 0x00050000u | (uint)errno;

    public static uint Trace(int data) => 0x7ff00000u | (uint)data;

    public static uint Run(byte[] program, int nr, uint arch = AuditArchX86_64, params ulong[] args)
    {
        var data = new byte[64]; // struct seccomp_data: nr, arch, instruction_pointer, args[6]
        BinaryPrimitives.WriteInt32LittleEndian(data, nr);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), arch);
        for (var i = 0; i < args.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(16 + 8 * i), args[i]);

        if (program.Length == 0 || program.Length % 8 != 0) throw new InvalidOperationException($"a program of {program.Length} bytes");
        var count = program.Length / 8;
        uint a = 0, x = 0;
        var memory = new uint[16];
        for (var pc = 0; ;)
        {
            if (pc >= count) throw new InvalidOperationException($"pc {pc} runs off the program of {count} instructions");
            var at = program.AsSpan(pc * 8);
            var code = BinaryPrimitives.ReadUInt16LittleEndian(at);
            var jt = at[2];
            var jf = at[3];
            var k = BinaryPrimitives.ReadUInt32LittleEndian(at[4..]);
            pc++;
            var operand = (code & 0x08) != 0 ? x : k;
            switch (code & 0x07)
            {
                case 0x00: // ld
                    a = (code & 0xe0) switch
                    {
                        0x20 when (code & 0x18) == 0 => Word(data, k),
                        0x00 => k,
                        0x60 => memory[k],
                        0x80 => 64,
                        _ => throw Unsupported(code, pc),
                    };
                    break;
                case 0x01: // ldx
                    x = (code & 0xe0) switch
                    {
                        0x00 => k,
                        0x60 => memory[k],
                        0x80 => 64,
                        _ => throw Unsupported(code, pc),
                    };
                    break;
                case 0x02: memory[k] = a; break; // st
                case 0x03: memory[k] = x; break; // stx
                case 0x04: // alu
                    a = (code & 0xf0) switch
                    {
                        0x00 => a + operand,
                        0x10 => a - operand,
                        0x20 => a * operand,
                        0x40 => a | operand,
                        0x50 => a & operand,
                        0x60 => a << (int)operand,
                        0x70 => a >> (int)operand,
                        0x80 => (uint)-(int)a,
                        0xa0 => a ^ operand,
                        _ => throw Unsupported(code, pc),
                    };
                    break;
                case 0x05: // jmp
                    if ((code & 0xf0) == 0x00)
                    {
                        pc += (int)k;
                        break;
                    }
                    var taken = (code & 0xf0) switch
                    {
                        0x10 => a == operand,
                        0x20 => a > operand,
                        0x30 => a >= operand,
                        0x40 => (a & operand) != 0,
                        _ => throw Unsupported(code, pc),
                    };
                    pc += taken ? jt : jf;
                    break;
                case 0x06: // ret
                    return (code & 0x18) switch
                    {
                        0x00 => k,
                        0x10 => a,
                        _ => throw Unsupported(code, pc),
                    };
                case 0x07: // misc
                    if (code == 0x07) x = a;      // tax
                    else if (code == 0x87) a = x; // txa
                    else throw Unsupported(code, pc);
                    break;
            }
        }
    }

    private static uint Word(byte[] data, uint offset)
    {
        if (offset % 4 != 0 || offset + 4 > data.Length) throw new InvalidOperationException($"a load at offset {offset} of seccomp_data");
        return BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)offset));
    }

    private static InvalidOperationException Unsupported(ushort code, int pc) => new($"instruction {pc - 1} has opcode 0x{code:x2}");
}
