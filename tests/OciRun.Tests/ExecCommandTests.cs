using LibContainer;
using OciRun.CommandLine;
using OciRun.Commands;

namespace OciRun.Tests;

/// <summary>How `exec`'s command line becomes a request: runc's flags, repeated ones, and the command after the ID.</summary>
public sealed class ExecCommandTests
{
    private static ExecRequestOf Parse(params string[] args)
    {
        var parsed = Parser.Parse(args, GlobalFlags.All, [ExecCommand.Verb]);
        return new ExecRequestOf(parsed, parsed.Error is null ? ExecCommand.Read(new Invocation(parsed.Arguments, "/r")) : null);
    }

    private sealed record ExecRequestOf(Parsed Parsed, LibContainer.Exec.ExecRequest? Request);

    [Fact]
    public void Everything_after_the_id_is_the_command_even_what_looks_like_a_flag()
    {
        var request = Parse("exec", "-t", "--cwd", "/tmp", "id", "ls", "-l", "--all").Request!;
        request.Id.Should().Be("id");
        request.Args.Should().Equal("ls", "-l", "--all");
        request.Tty.Should().BeTrue();
        request.Cwd.Should().Be("/tmp");
    }

    [Fact]
    public void Repeated_flags_add_up_in_order()
    {
        var request = Parse("exec", "-e", "A=1", "--env", "B=2", "-g", "10", "--additional-gids=20", "--cap", "CAP_NET_ADMIN", "-c", "CAP_SYS_ADMIN", "id", "true").Request!;
        request.Env.Should().Equal("A=1", "B=2");
        request.AdditionalGids.Should().Equal("10", "20");
        request.Capabilities.Should().Equal("CAP_NET_ADMIN", "CAP_SYS_ADMIN");
    }

    [Fact]
    public void The_shims_call_is_understood()
    {
        // containerd's shim: exec --process FILE --detach --pid-file F [--console-socket S] ID
        var request = Parse("--root", "/run/x", "--log", "/b/log.json", "--log-format", "json", "exec", "--process", "/b/p.json", "--detach", "--pid-file", "/b/e.pid", "--console-socket", "/s.sock", "id").Request!;
        request.ProcessFile.Should().Be("/b/p.json");
        request.Detach.Should().BeTrue();
        request.PidFile.Should().Be("/b/e.pid");
        request.ConsoleSocket.Should().Be("/s.sock");
        request.Args.Should().BeEmpty();
    }

    [Fact]
    public void No_new_privs_is_left_to_the_config_unless_given()
    {
        Parse("exec", "id", "true").Request!.NoNewPrivileges.Should().BeNull();
        Parse("exec", "--no-new-privs", "id", "true").Request!.NoNewPrivileges.Should().BeTrue();
        Parse("exec", "--no-new-privs=false", "id", "true").Request!.NoNewPrivileges.Should().BeFalse();
    }

    [Fact]
    public void Without_an_id_it_is_a_usage_error()
    {
        Parse("exec").Parsed.Error.Should().Contain("\"exec\" requires at least 1 argument");
    }

    [Fact]
    public void A_failure_is_runcs_exec_failed_with_status_255()
    {
        var status = Cli.Run(["--root", Path.Combine(Path.GetTempPath(), $"ocirun-exec-{Guid.NewGuid():N}"), "exec", "no-such", "true"]);
        status.Should().Be(255);
        ExecCommand.Verb.FailurePrefix.Should().Be("exec failed: ");
    }
}
