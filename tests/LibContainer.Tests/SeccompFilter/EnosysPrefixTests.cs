using LibContainer.Security.Seccomp;
using static LibContainer.Tests.SeccompFilter.SeccompInterpreter;

namespace LibContainer.Tests.SeccompFilter;

/// <summary>The ENOSYS prefix alone, before a stand-in program that allows everything.</summary>
public sealed class EnosysPrefixTests
{
    private const uint X86_64 = 0xC000003E, X86 = 0x40000003, X32 = 0x4000003E, Aarch64 = 0xC00000B7;

    private static readonly byte[] AllowAll = SockFilter.ToBytes([new SockFilter(SockFilter.ReturnConstant, 0, 0, Allow)]);

    private static byte[] Program(params HighestSyscall[] highest) => SockFilter.ToBytes(EnosysPrefix.Build(highest), AllowAll);

    [Fact]
    public void Above_the_highest_number_is_enosys_at_or_below_it_the_program_decides()
    {
        var bpf = Program(new HighestSyscall(X86_64, 300));
        Run(bpf, 0).Should().Be(Allow);
        Run(bpf, 300).Should().Be(Allow);
        Run(bpf, 301).Should().Be(Errno(38));
        Run(bpf, X32Bit - 1).Should().Be(Errno(38));
    }

    [Fact]
    public void Each_architecture_has_its_own_limit_and_others_go_to_the_program()
    {
        var bpf = Program(new HighestSyscall(X86_64, 300), new HighestSyscall(X86, 400), new HighestSyscall(Aarch64, 200));
        Run(bpf, 350).Should().Be(Errno(38));
        Run(bpf, 350, AuditArchI386).Should().Be(Allow);
        Run(bpf, 401, AuditArchI386).Should().Be(Errno(38));
        Run(bpf, 250, AuditArchAarch64).Should().Be(Errno(38));
        Run(bpf, 5000, 0x40000028 /* arm */).Should().Be(Allow);
    }

    [Fact]
    public void X32_shares_x86_64s_branch_and_bit_30_picks_its_limit()
    {
        var bpf = Program(new HighestSyscall(X86_64, 300), new HighestSyscall(X32, X32Bit + 500));
        Run(bpf, 301).Should().Be(Errno(38));
        Run(bpf, X32Bit + 301).Should().Be(Allow);
        Run(bpf, X32Bit + 501).Should().Be(Errno(38));
    }

    [Fact]
    public void With_x86_64_alone_x32_syscalls_go_to_the_program_and_the_other_way_round()
    {
        var only64 = Program(new HighestSyscall(X86_64, 300));
        Run(only64, X32Bit + 1000).Should().Be(Allow);
        var only32 = Program(new HighestSyscall(X32, X32Bit + 500));
        Run(only32, 1000).Should().Be(Allow);
        Run(only32, X32Bit + 501).Should().Be(Errno(38));
    }

    [Fact]
    public void No_known_syscall_means_no_prefix()
    {
        EnosysPrefix.Build([new(X86_64, -1)]).Should().BeEmpty();
        EnosysPrefix.Build([]).Should().BeEmpty();
    }

    [Fact]
    public void Many_architectures_still_fit_short_jumps()
    {
        var highest = SeccompNames.Architectures.Select(a => new HighestSyscall(a.Token, 100)).ToArray();
        var bpf = Program(highest);
        foreach (var (_, token) in SeccompNames.Architectures)
        {
            var audit = token == X32 ? X86_64 : token;
            var nr = token == X32 ? X32Bit + 101 : 101;
            Run(bpf, nr, audit).Should().Be(Errno(38));
        }
    }
}
