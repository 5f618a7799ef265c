using System.Runtime.InteropServices;
using LibContainer.Security.Seccomp;
using LibContainer.Spec;
using static LibContainer.Tests.SeccompFilter.Profiles;
using static LibContainer.Tests.SeccompFilter.SeccompInterpreter;

namespace LibContainer.Tests.SeccompFilter;

/// <summary>
/// Programs libseccomp builds from plans (no privilege needed), run on the
/// interpreter: what each syscall would get in the container. x86_64
/// numbers: read 0, mkdir 83, socket 41, personality 135, mount 165,
/// unshare 272, clone 56, clone3 435, fchmodat2 452; on i386 mkdir is 39.
/// </summary>
public sealed partial class SeccompCompilerTests
{
    private const int EPERM = 1, EACCES = 13, ENOSYS = 38;

    private static byte[] Compile(Spec.Seccomp profile) => SeccompCompiler.Compile(SeccompPlan.For(profile)).Bpf;

    [Fact]
    public void Dockers_profile_allows_what_it_lists_and_refuses_the_rest_with_eperm()
    {
        var program = SeccompCompiler.Compile(SeccompPlan.For(Docker));
        program.Flags.Should().Be(1u, "TSYNC, and nothing the profile did not ask for");
        program.Instructions.Should().BeLessThan(SockFilter.MaxInstructions);
        var bpf = program.Bpf;
        Run(bpf, 0).Should().Be(Allow);                 // read
        Run(bpf, 83).Should().Be(Allow);                // mkdir
        Run(bpf, 165).Should().Be(Errno(EPERM));        // mount
        Run(bpf, 272).Should().Be(Errno(EPERM));        // unshare
        Run(bpf, 435).Should().Be(Errno(ENOSYS));       // clone3: the profile's own rule
        Run(bpf, 39, AuditArchI386).Should().Be(Allow); // mkdir on i386
        Run(bpf, 0 | X32Bit).Should().Be(Allow);        // read on x32
    }

    [Fact]
    public void Dockers_profile_answers_enosys_for_syscalls_newer_than_it()
    {
        var bpf = Compile(Docker);
        Run(bpf, 452).Should().Be(Errno(ENOSYS));                 // fchmodat2 (Linux 6.6), not in the profile
        Run(bpf, 1000).Should().Be(Errno(ENOSYS));
        Run(bpf, 452, AuditArchI386).Should().Be(Errno(ENOSYS));
        Run(bpf, 1000 | X32Bit).Should().Be(Errno(ENOSYS));
        Run(bpf, 170).Should().Be(Errno(EPERM), "sethostname is old and not in the profile: the default");
    }

    [Fact]
    public void Dockers_argument_conditions_hold()
    {
        var bpf = Compile(Docker);
        Run(bpf, 135, args: [0]).Should().Be(Allow);           // personality(PER_LINUX)
        Run(bpf, 135, args: [0xffffffff]).Should().Be(Allow);  // personality query
        Run(bpf, 135, args: [5]).Should().Be(Errno(EPERM));
        Run(bpf, 56, args: [0x11]).Should().Be(Allow);         // clone(SIGCHLD | ...)
        Run(bpf, 56, args: [0x10000000]).Should().Be(Errno(EPERM)); // clone(CLONE_NEWUSER)
    }

    [Fact]
    public void An_architecture_outside_the_filter_is_killed_as_libseccomp_does()
    {
        Run(Compile(Docker), 0, AuditArchAarch64).Should().Be(KillThread);
    }

    [Fact]
    public void Podmans_profile_answers_enosys_by_default_and_eperm_where_it_says()
    {
        var bpf = Compile(Podman);
        Run(bpf, 246).Should().Be(Errno(EPERM));   // kexec_load
        Run(bpf, 452).Should().Be(Errno(ENOSYS));
        Run(bpf, 435).Should().Be(Allow);          // clone3
        Run(bpf, 272).Should().Be(Allow);          // unshare: podman leaves it to the capabilities
    }

    [Fact]
    public void Without_an_enosys_prefix_the_program_is_libseccomps_alone()
    {
        var podman = Compile(Podman);
        var docker = Compile(Docker);
        SockFilter.FromBytes(podman)[0].K.Should().Be(4u, "libseccomp's program starts by loading the architecture");
        // The prefix also starts there, and jumps on the architecture at once.
        var prefix = SockFilter.FromBytes(docker);
        prefix[0].Should().Be(new SockFilter(SockFilter.LoadWordAbsolute, 0, 0, 4));
        prefix[1].Code.Should().Be(SockFilter.JumpIfEqual);
    }

    [Fact]
    public void A_syscall_this_libseccomp_does_not_know_is_skipped()
    {
        var bpf = Compile(Of("SCMP_ACT_ALLOW", Entry("SCMP_ACT_ERRNO", "no_such_syscall_yet", "mkdir")));
        Run(bpf, 83).Should().Be(Errno(EPERM));
    }

    [Theory]
    [InlineData("SCMP_ACT_KILL", KillThread)]
    [InlineData("SCMP_ACT_KILL_THREAD", KillThread)]
    [InlineData("SCMP_ACT_KILL_PROCESS", KillProcess)]
    [InlineData("SCMP_ACT_TRAP", Trap)]
    [InlineData("SCMP_ACT_LOG", Log)]
    [InlineData("SCMP_ACT_ERRNO", 0x00050001u)]
    [InlineData("SCMP_ACT_TRACE", 0x7ff00001u)]
    public void Every_action_reaches_the_program(string action, uint expected)
    {
        var bpf = Compile(Of("SCMP_ACT_ALLOW", Entry(action, "mkdir")));
        Run(bpf, 83).Should().Be(expected);
        Run(bpf, 84).Should().Be(Allow);
    }

    [Fact]
    public void Notify_rules_are_loaded_with_a_listener()
    {
        var program = SeccompCompiler.Compile(SeccompPlan.For(Of("SCMP_ACT_ALLOW", Entry("SCMP_ACT_NOTIFY", "mkdir")) with { ListenerPath = "/a" }));
        program.Flags.Should().Be(1u | 8u | 16u, "TSYNC, NEW_LISTENER, and TSYNC_ESRCH, without which the kernel refuses the two together");
        Run(program.Bpf, 83).Should().Be(0x7fc00000u);
    }

    [Fact]
    public void A_different_errno_for_a_different_syscall()
    {
        var bpf = Compile(Of("SCMP_ACT_ALLOW",
            new SeccompSyscall { Names = ["mkdir"], Action = "SCMP_ACT_ERRNO", ErrnoRet = EPERM },
            new SeccompSyscall { Names = ["rmdir"], Action = "SCMP_ACT_ERRNO", ErrnoRet = EACCES }));
        Run(bpf, 83).Should().Be(Errno(EPERM));
        Run(bpf, 84).Should().Be(Errno(EACCES));
    }

    // personality(arg) against 8 (MASKED_EQ: arg & 0xf0 == 0x80), denied when the condition holds.
    [Theory]
    [InlineData("SCMP_CMP_NE", new ulong[] { 7, 9 }, new ulong[] { 8 })]
    [InlineData("SCMP_CMP_LT", new ulong[] { 0, 7 }, new ulong[] { 8, 9 })]
    [InlineData("SCMP_CMP_LE", new ulong[] { 7, 8 }, new ulong[] { 9 })]
    [InlineData("SCMP_CMP_EQ", new ulong[] { 8 }, new ulong[] { 7, 9 })]
    [InlineData("SCMP_CMP_GE", new ulong[] { 8, 9, 0x100000000 }, new ulong[] { 7 })]
    [InlineData("SCMP_CMP_GT", new ulong[] { 9 }, new ulong[] { 7, 8 })]
    [InlineData("SCMP_CMP_MASKED_EQ", new ulong[] { 0x80, 0x8f }, new ulong[] { 0x08, 0x90 })]
    public void Every_operator_acts_only_when_its_condition_holds(string op, ulong[] denied, ulong[] allowed)
    {
        var arg = op == "SCMP_CMP_MASKED_EQ" ? Arg(0, op, 0xf0, 0x80) : Arg(0, op, 8);
        var bpf = Compile(Of("SCMP_ACT_ALLOW", Entry("SCMP_ACT_ERRNO", "personality") with { Args = [arg] }));
        foreach (var value in denied) Run(bpf, 135, args: [value]).Should().Be(Errno(EPERM), $"{op} holds for {value}");
        foreach (var value in allowed) Run(bpf, 135, args: [value]).Should().Be(Allow, $"{op} does not hold for {value}");
    }

    [Fact]
    public void Conditions_on_two_arguments_must_all_hold()
    {
        // socket(AF_INET, SOCK_STREAM) denied; AF_INET with another type, or AF_UNIX, allowed.
        var entry = Entry("SCMP_ACT_ERRNO", "socket") with { Args = [Arg(0, "SCMP_CMP_EQ", 2), Arg(1, "SCMP_CMP_EQ", 1)] };
        var bpf = Compile(Of("SCMP_ACT_ALLOW", entry));
        Run(bpf, 41, args: [2, 1]).Should().Be(Errno(EPERM));
        Run(bpf, 41, args: [2, 2]).Should().Be(Allow);
        Run(bpf, 41, args: [1, 1]).Should().Be(Allow);
    }

    [Fact]
    public void Conditions_on_one_argument_act_when_any_holds_as_with_runc()
    {
        var entry = Entry("SCMP_ACT_ERRNO", "personality") with { Args = [Arg(0, "SCMP_CMP_EQ", 5), Arg(0, "SCMP_CMP_EQ", 6)] };
        var bpf = Compile(Of("SCMP_ACT_ALLOW", entry));
        Run(bpf, 135, args: [5]).Should().Be(Errno(EPERM));
        Run(bpf, 135, args: [6]).Should().Be(Errno(EPERM));
        Run(bpf, 135, args: [7]).Should().Be(Allow);
    }

    [Fact]
    public void An_architecture_of_the_other_byte_order_fails_naming_its_field()
    {
        var act = () => Compile(Of("SCMP_ACT_ALLOW") with { Architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_S390X"] });
        act.Should().Throw<ContainerError>().WithMessage("linux.seccomp.architectures[1]: SCMP_ARCH_S390X cannot be in a filter on this host: its byte order is not the host's");
    }

    [Fact]
    public void The_highest_syscalls_are_per_architecture_and_include_the_hosts()
    {
        var plan = SeccompPlan.For(Of("SCMP_ACT_ERRNO", Entry("SCMP_ACT_ALLOW", "read", "mkdir", "socketcall")) with { Architectures = ["SCMP_ARCH_X86"] });
        SeccompCompiler.HighestSyscalls(plan).Should().Equal(
            new HighestSyscall(0xC000003E, 83),   // the host's: mkdir; socketcall is not an x86_64 syscall
            new HighestSyscall(0x40000003, 102)); // i386's socketcall
    }

    [Fact]
    public void The_architecture_names_are_libseccomps()
    {
        foreach (var (name, token) in SeccompNames.Architectures)
            ArchResolveName(name["SCMP_ARCH_".Length..].ToLowerInvariant()).Should().Be(token, name);
    }

    [LibraryImport("libseccomp", EntryPoint = "seccomp_arch_resolve_name", StringMarshalling = StringMarshalling.Utf8)]
    private static partial uint ArchResolveName(string name);
}
