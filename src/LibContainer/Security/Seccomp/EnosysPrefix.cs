namespace LibContainer.Security.Seccomp;

/// <summary>The highest syscall number a profile names on one architecture (a libseccomp token).</summary>
public readonly record struct HighestSyscall(uint Architecture, int Number);

/// <summary>
/// A few instructions put before libseccomp's program so that a syscall newer
/// than the profile (above the highest number the profile names on its
/// architecture) fails with ENOSYS, as the kernel answers a syscall it does
/// not have, instead of the profile's default errno. glibc tries clone3 first
/// and falls back to clone only on ENOSYS; runc answers the same way. Any
/// other syscall, and any architecture not listed, goes on to the program.
/// </summary>
/// <remarks>
/// x86_64 and x32 share the kernel's AUDIT_ARCH_X86_64: an x32 syscall has bit
/// 30 set in its number (libseccomp's x32 numbers include it), so one branch
/// serves both and bit 30 picks the limit; with only one of them in the
/// profile, the other's syscalls go to the program (libseccomp's bad-arch
/// action). As with runc, a syscall in a gap below the highest is not caught.
/// </remarks>
public static class EnosysPrefix
{
    private const uint AuditArchX86_64 = 0xC000003E;
    private const uint X32Bit = 0x40000000;

    public static IReadOnlyList<SockFilter> Build(IReadOnlyList<HighestSyscall> highest)
    {
        // x86_64: (limit without bit 30, limit with it); other architectures use the first.
        var limits = new List<(uint Audit, int? Plain, int? X32)>();
        foreach (var (token, number) in highest)
        {
            if (number < 0) continue;
            var x32 = token == SeccompNames.X32Token;
            var audit = x32 ? AuditArchX86_64 : token;
            var i = limits.FindIndex(l => l.Audit == audit);
            if (i < 0)
            {
                limits.Add((audit, null, null));
                i = limits.Count - 1;
            }
            var l = limits[i];
            limits[i] = x32 ? l with { X32 = Math.Max(number, l.X32 ?? 0) } : l with { Plain = Math.Max(number, l.Plain ?? 0) };
        }
        if (limits.Count == 0) return [];

        var code = new Assembler();
        var enosys = code.NewLabel();
        var program = code.NewLabel();
        var sections = new List<int>();
        code.Load(SockFilter.ArchitectureOffset);
        foreach (var (audit, _, _) in limits)
        {
            var section = code.NewLabel();
            sections.Add(section);
            code.JumpIf(SockFilter.JumpIfEqual, audit, section, Assembler.Next);
        }
        code.JumpTo(program);
        for (var i = 0; i < limits.Count; i++)
        {
            var (audit, plain, x32) = limits[i];
            code.Place(sections[i]);
            code.Load(SockFilter.SyscallNumberOffset);
            if (audit == AuditArchX86_64 && x32 is { } x32Limit)
            {
                if (plain is { } limit)
                {
                    var x32Section = code.NewLabel();
                    code.JumpIf(SockFilter.JumpIfAnySet, X32Bit, x32Section, Assembler.Next);
                    code.JumpIf(SockFilter.JumpIfGreater, (uint)limit, enosys, program);
                    code.Place(x32Section);
                }
                else code.JumpIf(SockFilter.JumpIfAnySet, X32Bit, Assembler.Next, program);
                code.JumpIf(SockFilter.JumpIfGreater, (uint)x32Limit, enosys, program);
            }
            else
            {
                if (audit == AuditArchX86_64) code.JumpIf(SockFilter.JumpIfAnySet, X32Bit, program, Assembler.Next);
                code.JumpIf(SockFilter.JumpIfGreater, (uint)plain!.Value, enosys, program);
            }
        }
        code.Place(enosys);
        code.Return(SeccompAction.Enosys.Value);
        code.Place(program); // the end: libseccomp's program starts here
        return code.Resolve();
    }

    /// <summary>Instructions with jumps to labels, resolved to relative offsets once every label is placed.</summary>
    private sealed class Assembler
    {
        public const int Next = -1;

        private readonly List<(SockFilter Insn, int True, int False)> _code = [];
        private readonly List<int> _labels = [];

        public int NewLabel()
        {
            _labels.Add(-1);
            return _labels.Count - 1;
        }

        public void Place(int label) => _labels[label] = _code.Count;

        public void Load(uint offset) => _code.Add((new SockFilter(SockFilter.LoadWordAbsolute, 0, 0, offset), Next, Next));

        public void Return(uint value) => _code.Add((new SockFilter(SockFilter.ReturnConstant, 0, 0, value), Next, Next));

        public void JumpTo(int label) => _code.Add((new SockFilter(SockFilter.JumpAlways, 0, 0, 0), label, Next));

        public void JumpIf(ushort op, uint value, int whenTrue, int whenFalse) =>
            _code.Add((new SockFilter(op, 0, 0, value), whenTrue, whenFalse));

        public List<SockFilter> Resolve()
        {
            var resolved = new List<SockFilter>(_code.Count);
            for (var i = 0; i < _code.Count; i++)
            {
                var (insn, whenTrue, whenFalse) = _code[i];
                if (insn.Code == SockFilter.JumpAlways) insn = insn with { K = (uint)Offset(i, whenTrue) };
                else if (insn.Code != SockFilter.LoadWordAbsolute && insn.Code != SockFilter.ReturnConstant)
                    insn = insn with { JumpTrue = Short(i, whenTrue), JumpFalse = Short(i, whenFalse) };
                resolved.Add(insn);
            }
            return resolved;
        }

        private int Offset(int from, int label) => label == Next ? 0 : _labels[label] - (from + 1);

        private byte Short(int from, int label)
        {
            var offset = Offset(from, label);
            // A few instructions per architecture: even twenty architectures stay far below 255.
            if (offset is < 0 or > 255) throw new ContainerError($"linux.seccomp: the ENOSYS prefix needs a jump of {offset} instructions");
            return (byte)offset;
        }
    }
}
