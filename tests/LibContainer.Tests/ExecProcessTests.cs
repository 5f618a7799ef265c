using LibContainer.Exec;
using LibContainer.Security.Seccomp;
using LibContainer.Spec;

namespace LibContainer.Tests;

/// <summary>The process exec runs, decided from config.json's and the flags as runc 1.1 does, and how it travels to init.</summary>
public sealed class ExecProcessTests
{
    private static readonly Process FromConfig = new()
    {
        Terminal = true,
        Args = ["sh"],
        Env = ["PATH=/bin", "TERM=xterm"],
        Cwd = "/",
        User = new User { Uid = 0, Gid = 0, AdditionalGids = [1] },
        Capabilities = new Capabilities { Bounding = ["CAP_KILL"], Effective = ["CAP_KILL"], Permitted = ["CAP_KILL"], Inheritable = ["CAP_KILL"] },
        Rlimits = [new Rlimit { Type = "RLIMIT_NOFILE", Hard = 1024, Soft = 1024 }],
        NoNewPrivileges = true,
    };

    [Fact]
    public void The_command_replaces_the_args_and_the_terminal_is_off_unless_asked()
    {
        var p = ExecProcess.For(FromConfig, new ExecRequest("c") { Args = ["ls", "-l"] });
        p.Args.Should().Equal("ls", "-l");
        p.Terminal.Should().BeFalse();
        p.Cwd.Should().Be("/");
        p.Rlimits.Should().Equal(FromConfig.Rlimits);
        p.NoNewPrivileges.Should().BeTrue();
        ExecProcess.For(FromConfig, new ExecRequest("c") { Args = ["ls"], Tty = true }).Terminal.Should().BeTrue();
    }

    [Fact]
    public void Flags_add_to_the_environment_groups_and_capabilities()
    {
        var p = ExecProcess.For(FromConfig, new ExecRequest("c")
        {
            Args = ["true"], Env = ["A=1"], AdditionalGids = ["10"], Capabilities = ["CAP_SYS_ADMIN"], Cwd = "/tmp", User = "1000:100", NoNewPrivileges = false,
        });
        p.Env.Should().Equal("PATH=/bin", "TERM=xterm", "A=1");
        p.User!.Uid.Should().Be(1000);
        p.User.Gid.Should().Be(100);
        p.User.AdditionalGids.Should().Equal(1u, 10u);
        p.Capabilities!.Bounding.Should().Equal("CAP_KILL", "CAP_SYS_ADMIN");
        p.Capabilities.Effective.Should().Equal("CAP_KILL", "CAP_SYS_ADMIN");
        p.Capabilities.Permitted.Should().Equal("CAP_KILL", "CAP_SYS_ADMIN");
        p.Capabilities.Ambient.Should().Equal("CAP_SYS_ADMIN");
        p.Capabilities.Inheritable.Should().Equal(["CAP_KILL"], "runc leaves the inheritable set alone");
        p.Cwd.Should().Be("/tmp");
        p.NoNewPrivileges.Should().BeFalse();
    }

    [Fact]
    public void A_uid_alone_keeps_the_configs_gid()
    {
        var p = ExecProcess.For(FromConfig with { User = new User { Uid = 5, Gid = 7 } }, new ExecRequest("c") { Args = ["true"], User = "1000" });
        p.User!.Uid.Should().Be(1000);
        p.User.Gid.Should().Be(7);
    }

    [Theory]
    [InlineData("nobody", "the uid must be a number")]
    [InlineData("1000:users", "the gid must be a number")]
    [InlineData("-1", "the uid must be a number")]
    public void A_user_that_is_not_numeric_is_named(string user, string message)
    {
        var act = () => ExecProcess.For(FromConfig, new ExecRequest("c") { Args = ["true"], User = user });
        act.Should().Throw<ContainerError>().WithMessage($"--user \"{user}\": {message}*");
    }

    [Fact]
    public void A_negative_additional_gid_is_refused()
    {
        var act = () => ExecProcess.For(FromConfig, new ExecRequest("c") { Args = ["true"], AdditionalGids = ["-5"] });
        act.Should().Throw<ContainerError>().WithMessage("--additional-gids \"-5\"*");
    }

    [Fact]
    public void The_process_and_filter_reach_init_unchanged()
    {
        var process = FromConfig with
        {
            ConsoleSize = new ConsoleSize { Height = 24, Width = 80 },
            OomScoreAdj = 5,
            User = new User { Uid = 1, Gid = 2, Umask = 18, AdditionalGids = [3, 4] },
            Capabilities = FromConfig.Capabilities! with { Ambient = ["CAP_KILL"] },
            ApparmorProfile = "p",
            SelinuxLabel = "l",
        };
        var config = new ExecConfig(process, 2, 40, new SeccompProgram([1, 2, 3, 4, 5, 6, 7, 8], 6), Personality: 8,
            MemoryPolicy: new LibContainer.Kernel.MemoryPolicyPlan(2 | 1 << 15, [0, 3]));

        var payload = config.Encode();
        ExecConfig.IsExec(payload).Should().BeTrue();
        var back = ExecConfig.Decode(payload);

        back.PreserveFds.Should().Be(2);
        back.LastCap.Should().Be(40);
        back.Seccomp!.Bpf.Should().Equal(1, 2, 3, 4, 5, 6, 7, 8);
        back.Seccomp.Flags.Should().Be(6);
        back.Process.Should().BeEquivalentTo(process);
        back.Personality.Should().Be(8);
        back.MemoryPolicy!.ModeAndFlags.Should().Be(2 | 1 << 15);
        back.MemoryPolicy.Nodes.Should().Equal(0, 3);
    }

    [Fact]
    public void A_creates_config_is_not_taken_for_an_exec()
    {
        ExecConfig.IsExec("{\"id\":\"c\"}"u8).Should().BeFalse();
        var plain = ExecConfig.Decode(new ExecConfig(new Process { Args = ["x"] }, 0, 40, null).Encode());
        plain.Seccomp.Should().BeNull();
        plain.Personality.Should().BeNull("no personality is set unless the container has one");
        plain.MemoryPolicy.Should().BeNull();
    }
}
