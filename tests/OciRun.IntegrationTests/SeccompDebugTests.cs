using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

/// <summary>
/// A syscall name this libseccomp does not know is skipped, as runc does; with
/// --debug create says so once per name (runc's debug line), and without it
/// nothing is said.
/// </summary>
public sealed class SeccompDebugTests : ContainerTest
{
    private Bundle WithUnknownNames(string id)
    {
        var bundle = NewBundle(id, "sh", "-c", "mkdir /tmp/d 2>/dev/null || echo refused");
        bundle.Linux["seccomp"] = new JsonObject
        {
            ["defaultAction"] = "SCMP_ACT_ALLOW",
            ["syscalls"] = new JsonArray(
                new JsonObject { ["names"] = new JsonArray("mkdir", "no_such_syscall_one", "mkdirat"), ["action"] = "SCMP_ACT_ERRNO" },
                new JsonObject { ["names"] = new JsonArray("no_such_syscall_two", "no_such_syscall_one"), ["action"] = "SCMP_ACT_KILL" }),
        };
        return bundle.Write();
    }

    [RootFact]
    public void Debug_names_each_unknown_syscall_once_and_the_container_still_runs()
    {
        var id = NewId();
        var result = Runtime.Run("--debug", "run", "--bundle", WithUnknownNames(id).Dir, id);
        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Be("refused\n", "the known names are filtered");
        var lines = result.Stderr.Split('\n').Where(l => l.Contains("seccomp syscall")).ToList();
        lines.Should().Equal(
            "oci-run: debug: unknown seccomp syscall \"no_such_syscall_one\" ignored",
            "oci-run: debug: unknown seccomp syscall \"no_such_syscall_two\" ignored");
    }

    [RootFact]
    public void Debug_lines_go_to_the_json_log_when_there_is_one()
    {
        var id = NewId();
        var log = Path.Combine(Work, "log.json");
        var result = Runtime.Run("--debug", "--log", log, "--log-format", "json", "run", "--bundle", WithUnknownNames(id).Dir, id);
        result.ExitCode.Should().Be(0, result.ToString());
        var entries = File.ReadAllLines(log).Select(l => JsonNode.Parse(l)!).Where(e => ((string?)e["msg"])!.Contains("seccomp syscall")).ToList();
        entries.Select(e => (string?)e["level"]).Should().Equal("debug", "debug");
        entries.Select(e => (string?)e["msg"]).Should().Equal(
            "unknown seccomp syscall \"no_such_syscall_one\" ignored", "unknown seccomp syscall \"no_such_syscall_two\" ignored");
    }

    [RootFact]
    public void Without_debug_nothing_is_said()
    {
        var id = NewId();
        var result = Runtime.Run("run", "--bundle", WithUnknownNames(id).Dir, id);
        result.ExitCode.Should().Be(0, result.ToString());
        result.Stderr.Should().BeEmpty();
    }
}
