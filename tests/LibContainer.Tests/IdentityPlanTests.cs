using LibContainer.Security;
using LibContainer.Spec;

namespace LibContainer.Tests;

public sealed class IdentityPlanTests
{
    // CAP_KILL 5, CAP_NET_BIND_SERVICE 10, CAP_AUDIT_WRITE 29: runc's default set.
    private const ulong Default = (1UL << 5) | (1UL << 10) | (1UL << 29);

    private static Process RuncDefault() => new()
    {
        Args = ["sh"], Cwd = "/",
        User = new User { Uid = 1000, Gid = 1001, AdditionalGids = [5, 6] },
        Capabilities = new Spec.Capabilities
        {
            Bounding = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
            Effective = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
            Permitted = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
            Ambient = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
        },
        Rlimits = [new Rlimit { Type = "RLIMIT_NOFILE", Soft = 1024, Hard = 1024 }],
        NoNewPrivileges = true,
    };

    [Fact]
    public void The_plan_holds_the_sets_masked_to_what_the_kernel_knows()
    {
        var plan = IdentityPlan.For(RuncDefault(), lastCap: 40);
        plan.Capabilities.Should().Be(new CapabilitySets(Default, Default, Default, 0, 0),
            "ambient needs permitted and inheritable: with no inheritable set, none is ambient");
        plan.Rlimits.Should().Equal(new RlimitSetting(7, 1024, 1024, "RLIMIT_NOFILE"));
        plan.Groups.Should().Equal(5u, 6u);
        (plan.Uid, plan.Gid, plan.Umask, plan.NoNewPrivileges).Should().Be((1000u, 1001u, 0x12u, true));

        var old = IdentityPlan.For(RuncDefault() with { Capabilities = new Spec.Capabilities { Bounding = ["CAP_BPF", "CAP_KILL"] } }, lastCap: 36);
        old.Capabilities!.Bounding.Should().Be(1UL << 5, "CAP_BPF (39) is past this kernel's last capability");
    }

    [Fact]
    public void Ambient_capabilities_are_those_also_permitted_and_inheritable()
    {
        var process = RuncDefault() with
        {
            Capabilities = new Spec.Capabilities { Permitted = ["CAP_KILL", "CAP_CHOWN"], Inheritable = ["CAP_KILL"], Ambient = ["CAP_KILL", "CAP_CHOWN"] },
        };
        IdentityPlan.For(process, 40).Capabilities!.Ambient.Should().Be(1UL << 5);
    }

    [Fact]
    public void The_executor_drops_the_bounding_set_before_the_ids_change_and_sets_capabilities_after()
    {
        var sys = new RecordingSyscalls();
        var plan = IdentityPlan.For(RuncDefault(), lastCap: 40);
        IdentityExecutor.SetRlimits(plan, sys);
        IdentityExecutor.Become(plan, sys);

        var drops = new List<string>();
        for (var cap = 0; cap <= 40; cap++)
            if (cap is not (5 or 10 or 29)) drops.Add($"drop {cap}");
        sys.Calls.Should().Equal([
            "rlimit RLIMIT_NOFILE 1024 1024",
            .. drops,
            "keepcaps 1", "setgroups [5,6]", "setgid 1001", "setuid 1000", "keepcaps 0",
            "capset 20000420 20000420 0", "ambient clear",
            "umask 22", "no_new_privs",
        ]);
    }

    [Fact]
    public void Without_capabilities_in_the_config_they_are_left_alone()
    {
        var sys = new RecordingSyscalls();
        var plan = IdentityPlan.For(new Process { Args = ["sh"], Cwd = "/", User = new User { Umask = 0x3F } }, lastCap: 40);
        IdentityExecutor.Become(plan, sys);
        sys.Calls.Should().Equal("keepcaps 1", "setgroups []", "setgid 0", "setuid 0", "keepcaps 0", "umask 77");
    }
}
