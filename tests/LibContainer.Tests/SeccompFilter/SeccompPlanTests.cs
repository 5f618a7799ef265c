using LibContainer.Security.Seccomp;
using LibContainer.Spec;
using LibContainer.Validation;
using static LibContainer.Tests.SeccompFilter.Profiles;

namespace LibContainer.Tests.SeccompFilter;

public sealed class SeccompPlanTests
{
    private static List<string> Problems(Spec.Seccomp seccomp) => [.. SeccompPlan.Problems(seccomp).Select(p => p.ToString())];

    private static string SingleProblem(Spec.Seccomp seccomp) => Problems(seccomp).Should().ContainSingle().Which;

    [Fact]
    public void Dockers_profile_plans_without_a_problem()
    {
        Problems(Docker).Should().BeEmpty();
        var plan = SeccompPlan.For(Docker);
        plan.DefaultAction.Should().Be(SeccompAction.Of(SeccompActionKind.Errno, null)); // EPERM
        plan.Architectures.Select(a => a.Token).Should().Equal(0xC000003E, 0x40000003, 0x4000003E);
        plan.EnosysForNewer.Should().BeTrue("its default is EPERM, so a syscall newer than the profile needs ENOSYS");
        plan.Rules.Should().Contain(r => r.Syscall == "clone3" && r.Action == SeccompAction.Enosys);
        plan.Rules.Where(r => r.Syscall == "personality").Should().HaveCount(5, "five values of personality are allowed, one rule each");
        plan.Flags.Should().BeEmpty();
    }

    [Fact]
    public void Podmans_profile_plans_without_a_problem_and_needs_no_enosys_prefix()
    {
        Problems(Podman).Should().BeEmpty();
        var plan = SeccompPlan.For(Podman);
        plan.DefaultAction.Should().Be(SeccompAction.Enosys, "its defaultErrnoRet is 38");
        plan.EnosysForNewer.Should().BeFalse("the default answers ENOSYS already");
        plan.Rules.Should().Contain(r => r.Syscall == "kexec_load" && r.Action == SeccompAction.Of(SeccompActionKind.Errno, 1));
    }

    [Theory]
    [InlineData("SCMP_ACT_KILL", 0x00000000u)]
    [InlineData("SCMP_ACT_KILL_THREAD", 0x00000000u)]
    [InlineData("SCMP_ACT_KILL_PROCESS", 0x80000000u)]
    [InlineData("SCMP_ACT_TRAP", 0x00030000u)]
    [InlineData("SCMP_ACT_ERRNO", 0x00050001u)]
    [InlineData("SCMP_ACT_TRACE", 0x7ff00001u)]
    [InlineData("SCMP_ACT_LOG", 0x7ffc0000u)]
    [InlineData("SCMP_ACT_ALLOW", 0x7fff0000u)]
    public void Every_action_maps_to_the_kernels_return_value(string action, uint value)
    {
        var plan = SeccompPlan.For(Of(action == "SCMP_ACT_ALLOW" ? "SCMP_ACT_LOG" : "SCMP_ACT_ALLOW", Entry(action, "mkdir")));
        plan.Rules.Should().ContainSingle().Which.Action.Value.Should().Be(value);
        SeccompPlan.For(Of(action)).DefaultAction.Value.Should().Be(value);
    }

    [Fact]
    public void ErrnoRet_is_the_errno_and_the_trace_data()
    {
        var plan = SeccompPlan.For(Of("SCMP_ACT_ALLOW",
            new SeccompSyscall { Names = ["mkdir"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 13 },
            new SeccompSyscall { Names = ["rmdir"], Action = "SCMP_ACT_TRACE", ErrnoRet = 7 }));
        plan.Rules.Select(r => r.Action.Value).Should().Equal(0x0005000Du, 0x7ff00007u);
        SeccompPlan.For(Of("SCMP_ACT_ERRNO") with { DefaultErrnoRet = 38 }).DefaultAction.Should().Be(SeccompAction.Enosys);
    }

    [Theory]
    [InlineData("SCMP_CMP_NE", 1u)]
    [InlineData("SCMP_CMP_LT", 2u)]
    [InlineData("SCMP_CMP_LE", 3u)]
    [InlineData("SCMP_CMP_EQ", 4u)]
    [InlineData("SCMP_CMP_GE", 5u)]
    [InlineData("SCMP_CMP_GT", 6u)]
    [InlineData("SCMP_CMP_MASKED_EQ", 7u)]
    public void Every_operator_maps_to_libseccomps_number(string op, uint number)
    {
        var entry = Entry("SCMP_ACT_ERRNO", "personality") with { Args = [Arg(0, op, 8, 9)] };
        SeccompPlan.For(Of("SCMP_ACT_ALLOW", entry)).Rules.Should().ContainSingle()
            .Which.Conditions.Should().Equal(new SeccompCondition(0, number, 8, 9));
    }

    [Fact]
    public void Conditions_on_different_arguments_all_go_in_one_rule()
    {
        var entry = Entry("SCMP_ACT_ERRNO", "socket") with { Args = [Arg(0, "SCMP_CMP_EQ", 2), Arg(1, "SCMP_CMP_EQ", 1)] };
        SeccompPlan.For(Of("SCMP_ACT_ALLOW", entry)).Rules.Should().ContainSingle().Which.Conditions.Should().HaveCount(2);
    }

    [Fact]
    public void Conditions_on_the_same_argument_become_a_rule_each_as_runc_makes_them()
    {
        var entry = Entry("SCMP_ACT_ERRNO", "personality", "socket") with { Args = [Arg(0, "SCMP_CMP_EQ", 5), Arg(0, "SCMP_CMP_EQ", 6)] };
        var rules = SeccompPlan.For(Of("SCMP_ACT_ALLOW", entry)).Rules;
        rules.Select(r => (r.Syscall, r.Conditions.Single().Value)).Should().Equal(("personality", 5UL), ("personality", 6UL), ("socket", 5UL), ("socket", 6UL));
        rules[3].Path.Should().Be("linux.seccomp.syscalls[0].names[1]");
    }

    [Fact]
    public void A_rule_that_does_what_the_default_does_is_left_out_but_its_syscall_still_counts()
    {
        var plan = SeccompPlan.For(Of("SCMP_ACT_ERRNO", Entry("SCMP_ACT_ERRNO", "fchmodat2"), Entry("SCMP_ACT_ALLOW", "read")));
        plan.Rules.Select(r => r.Syscall).Should().Equal("read");
        plan.ProfileSyscalls.Should().Equal("fchmodat2", "read");
    }

    [Theory]
    [InlineData("SCMP_ACT_ALLOW", null, false)]
    [InlineData("SCMP_ACT_LOG", null, false)]
    [InlineData("SCMP_ACT_TRACE", null, false)]
    [InlineData("SCMP_ACT_ERRNO", 38u, false)]
    [InlineData("SCMP_ACT_ERRNO", null, true)]
    [InlineData("SCMP_ACT_ERRNO", 13u, true)]
    [InlineData("SCMP_ACT_KILL", null, true)]
    [InlineData("SCMP_ACT_KILL_PROCESS", null, true)]
    [InlineData("SCMP_ACT_TRAP", null, true)]
    public void Newer_syscalls_get_enosys_unless_the_default_lets_them_through_or_is_enosys(string action, uint? errno, bool enosys)
    {
        SeccompPlan.For(Of(action) with { DefaultErrnoRet = errno }).EnosysForNewer.Should().Be(enosys);
    }

    [Fact]
    public void Flags_map_to_their_bits()
    {
        var plan = SeccompPlan.For(Of("SCMP_ACT_ALLOW") with { Flags = ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC"] });
        plan.Flags.Select(f => f.Bit).Should().Equal(2u, 4u, 1u);
    }

    // ---- bad input: every problem names its field ----

    [Fact]
    public void An_unknown_action_is_named_by_its_path()
    {
        var profile = Of("SCMP_ACT_ALLOW", Entry("SCMP_ACT_ERRNO", "a"), Entry("SCMP_ACT_ERRNO", "b"), Entry("SCMP_ACT_ERRNO", "c"), Entry("SCMP_ACT_FOO", "d"));
        SingleProblem(profile).Should().Be("linux.seccomp.syscalls[3].action: unknown action \"SCMP_ACT_FOO\"");
        SingleProblem(Of("SCMP_ACT_BAR")).Should().Be("linux.seccomp.defaultAction: unknown action \"SCMP_ACT_BAR\"");
        SingleProblem(Of("SCMP_ACT_ALLOW", new SeccompSyscall { Names = ["x"] })).Should().Be("linux.seccomp.syscalls[0].action: missing");
    }

    [Fact]
    public void A_missing_default_action_is_named()
    {
        SingleProblem(new Spec.Seccomp()).Should().StartWith("linux.seccomp.defaultAction: missing");
    }

    [Fact]
    public void A_malformed_argument_condition_is_named_by_its_path()
    {
        var entry = Entry("SCMP_ACT_ERRNO", "socket") with { Args = [Arg(0, "SCMP_CMP_EQ", 2), Arg(6, "SCMP_CMP_EQ", 1), Arg(1, "SCMP_CMP_LIKE", 1), Arg(2, "", 1)] };
        Problems(Of("SCMP_ACT_ALLOW", entry)).Should().Equal(
            "linux.seccomp.syscalls[0].args[1].index: 6 is not an argument: a syscall has 6, numbered 0 to 5",
            "linux.seccomp.syscalls[0].args[2].op: unknown operator \"SCMP_CMP_LIKE\"",
            "linux.seccomp.syscalls[0].args[3].op: missing");
    }

    [Fact]
    public void An_architecture_that_does_not_exist_is_named()
    {
        SingleProblem(Of("SCMP_ACT_ALLOW") with { Architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_PDP11"] })
            .Should().Be("linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_PDP11\"");
    }

    [Fact]
    public void An_unknown_flag_is_named()
    {
        SingleProblem(Of("SCMP_ACT_ALLOW") with { Flags = ["SECCOMP_FILTER_FLAG_FAST"] })
            .Should().Be("linux.seccomp.flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_FAST\"");
    }

    [Fact]
    public void An_errno_for_an_action_without_one_is_refused_as_the_spec_says()
    {
        SingleProblem(Of("SCMP_ACT_ALLOW", new SeccompSyscall { Names = ["x"], Action = "SCMP_ACT_KILL", ErrnoRet = 1 }))
            .Should().Be("linux.seccomp.syscalls[0].errnoRet: SCMP_ACT_KILL returns no errno: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take one");
        SingleProblem(Of("SCMP_ACT_ALLOW") with { DefaultErrnoRet = 1 })
            .Should().Be("linux.seccomp.defaultErrnoRet: SCMP_ACT_ALLOW returns no errno: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take one");
        SingleProblem(Of("SCMP_ACT_ERRNO") with { DefaultErrnoRet = 70000 })
            .Should().Be("linux.seccomp.defaultErrnoRet: 70000 does not fit the 16 bits a seccomp filter returns");
    }

    [Fact]
    public void Empty_syscall_names_are_named()
    {
        Problems(Of("SCMP_ACT_ALLOW", new SeccompSyscall { Action = "SCMP_ACT_ERRNO" }, Entry("SCMP_ACT_ERRNO", "mkdir", "")))
            .Should().Equal("linux.seccomp.syscalls[0].names: must name at least one syscall", "linux.seccomp.syscalls[1].names[1]: must not be empty");
    }

    [Fact]
    public void Notify_rules_need_a_listener_path_and_get_a_listener()
    {
        var profile = Of("SCMP_ACT_ALLOW", Entry("SCMP_ACT_NOTIFY", "mkdir")) with { ListenerPath = "/run/agent.sock", ListenerMetadata = "m" };
        var plan = SeccompPlan.For(profile);
        plan.UsesNotify.Should().BeTrue();
        plan.ListenerPath.Should().Be("/run/agent.sock");
        plan.ListenerMetadata.Should().Be("m");
        plan.Rules.Should().ContainSingle().Which.Action.Value.Should().Be(0x7fc00000u);
        SingleProblem(profile with { ListenerPath = null })
            .Should().Be("linux.seccomp.listenerPath: missing: SCMP_ACT_NOTIFY needs the agent's unix socket");
        SeccompPlan.For(Of("SCMP_ACT_ALLOW", Entry("SCMP_ACT_ERRNO", "mkdir")) with { ListenerPath = "/run/agent.sock" })
            .UsesNotify.Should().BeFalse("a listener path with no notify rule asks for nothing");
    }

    [Fact]
    public void Notify_cannot_be_the_default_nor_catch_what_init_hands_the_listener_over_with()
    {
        Problems(Of("SCMP_ACT_NOTIFY") with { ListenerPath = "/a" }).Should().Equal(
            "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default: init's own syscalls would wait for an agent that has no listener yet");
        Problems(Of("SCMP_ACT_ALLOW", Entry("SCMP_ACT_NOTIFY", "mkdir", "write", "sendmsg")) with { ListenerPath = "/a" }).Should().Equal(
            "linux.seccomp.syscalls[0].names[1]: SCMP_ACT_NOTIFY cannot be used for write: init hands the listener over with it once the filter is loaded",
            "linux.seccomp.syscalls[0].names[2]: SCMP_ACT_NOTIFY cannot be used for sendmsg: init hands the listener over with it once the filter is loaded");
    }

    [Fact]
    public void Wait_killable_recv_applies_only_with_notify_rules()
    {
        SingleProblem(Of("SCMP_ACT_ALLOW") with { Flags = ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"] })
            .Should().Be("linux.seccomp.flags[0]: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV applies to SCMP_ACT_NOTIFY, which no rule uses");
        var plan = SeccompPlan.For(Of("SCMP_ACT_ALLOW", Entry("SCMP_ACT_NOTIFY", "mkdir")) with
        {
            ListenerPath = "/a",
            Flags = ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"],
        });
        plan.Flags.Should().ContainSingle().Which.Bit.Should().Be(32u);
    }

    [Fact]
    public void The_validator_reports_seccomp_problems_with_the_others_before_anything_is_made()
    {
        var spec = Specs.Valid() with
        {
            Hostname = "h",
            Linux = Specs.Valid().Linux! with { Seccomp = Of("SCMP_ACT_ALLOW", Entry("SCMP_ACT_FOO", "mkdir")) },
            Process = Specs.Valid().Process! with { Cwd = "relative" },
        };
        SpecValidator.Problems(spec).Select(p => p.ToString()).Should().Contain("linux.seccomp.syscalls[0].action: unknown action \"SCMP_ACT_FOO\"")
            .And.Contain(p => p.StartsWith("process.cwd"));
        var act = () => SpecValidator.Validate(spec);
        act.Should().Throw<ContainerError>().WithMessage("*linux.seccomp.syscalls[0].action*");
    }
}
