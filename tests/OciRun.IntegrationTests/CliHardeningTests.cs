using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

/// <summary>
/// runc's behaviour where it is easy to differ: every failure is exit 1, one
/// line on stderr and one error line in a JSON --log; --log and --log-format
/// are checked; kill as containerd's shim uses it; a --root that is a file.
/// </summary>
public sealed class CliHardeningTests : ContainerTest
{
    private string JsonLog => Path.Combine(Work, "log.json");

    /// <summary>Runs with a JSON --log and checks the failure: exit 1, one stderr line, the same message as the log's last line.</summary>
    private string FailsWithOneLine(IEnumerable<string> args, params string[] mentions)
    {
        var result = Runtime.Exec(["--log", JsonLog, "--log-format", "json", .. args]);
        result.ExitCode.Should().Be(1, result.ToString());
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(1, $"one line, no stack trace: {result}");
        lines[0].Should().StartWith("oci-run: ");
        var message = lines[0]["oci-run: ".Length..];
        foreach (var m in mentions) message.Should().Contain(m);
        var logged = JsonNode.Parse(File.ReadAllLines(JsonLog).Last())!.AsObject();
        ((string?)logged["level"]).Should().Be("error");
        ((string?)logged["msg"]).Should().Be(message);
        ((string?)logged["time"]).Should().NotBeNullOrEmpty();
        return message;
    }

    private string[] WithRoot(params string[] args) => ["--root", Runtime.Root, .. args];

    [RootFact]
    public void Failures_of_the_parser_and_of_the_verbs_are_one_line_and_one_json_log_line()
    {
        var id = NewId();
        FailsWithOneLine(WithRoot("state", id), $"container \"{id}\" does not exist");
        FailsWithOneLine(WithRoot("list", "--nope"), "flag provided but not defined: --nope");
        FailsWithOneLine(WithRoot("nosuchverb"), "unknown command \"nosuchverb\"");
        FailsWithOneLine(WithRoot("kill"), "\"kill\" requires at least 1 argument(s)");
        FailsWithOneLine(["--root", "", "list"], "--root");
        File.ReadAllLines(JsonLog).Should().HaveCount(5, "the log is appended to, one line per failure");
    }

    [RootFact]
    public void An_unknown_log_format_is_refused_in_runcs_words()
    {
        var result = Runtime.Run("--log-format", "xml", "list");
        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Be("oci-run: invalid log-format: xml\n");
        Runtime.Run("--log-format", "text", "list").ExitCode.Should().Be(0);
        Runtime.Run("--log-format", "json", "list").ExitCode.Should().Be(0);
    }

    [RootFact]
    public void A_log_that_cannot_be_opened_is_an_error_naming_it()
    {
        var missing = Path.Combine(Work, "nodir", "log");
        var result = Runtime.Run("--log", missing, "list");
        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Be($"oci-run: open {missing}: No such file or directory\n");

        var directory = Runtime.Run("--log", Work, "list");
        directory.ExitCode.Should().Be(1);
        directory.Stderr.Should().Be($"oci-run: open {Work}: Is a directory\n");

        var readOnly = Directory.CreateDirectory(Path.Combine(Work, "ro")).FullName;
        Runtime.Shell($"mount -t tmpfs -o ro tmpfs '{readOnly}'").ExitCode.Should().Be(0);
        try
        {
            var log = Path.Combine(readOnly, "log");
            var ro = Runtime.Run("--log", log, "list");
            ro.ExitCode.Should().Be(1);
            ro.Stderr.Should().Be($"oci-run: open {log}: Read-only file system\n");
        }
        finally
        {
            Runtime.Shell($"umount '{readOnly}'");
        }
    }

    [RootFact]
    public void A_missing_log_is_created_and_an_existing_one_appended_to()
    {
        Runtime.Run("--log", JsonLog, "--log-format", "json", "list").ExitCode.Should().Be(0);
        File.Exists(JsonLog).Should().BeTrue("runc creates the log before the command runs");
        File.ReadAllText(JsonLog).Should().BeEmpty();
        FailsWithOneLine(WithRoot("state", "nope"), "does not exist");
        FailsWithOneLine(WithRoot("delete", "nope"), "does not exist");
        File.ReadAllLines(JsonLog).Should().HaveCount(2);
    }

    [RootFact]
    public void Kill_of_a_stopped_container_as_containerds_shim_drives_it()
    {
        var id = NewId();
        RunDetachedOk(NewBundle(id, "true"), id);
        WaitForStatus(id, "stopped");
        var all = Runtime.Run("kill", "--all", id, "9");
        all.ExitCode.Should().Be(0, $"runc signals what is left in the cgroup and succeeds: {all}");
        all.Stderr.Should().BeEmpty();
        FailsWithOneLine(WithRoot("kill", id, "9"), "container not running");
        FailsWithOneLine(WithRoot("kill", id, "0"), "container not running");
        Runtime.Run("delete", id).ExitCode.Should().Be(0);
        FailsWithOneLine(WithRoot("kill", id, "9"), $"container \"{id}\" does not exist");
        FailsWithOneLine(WithRoot("kill", "--all", id, "9"), $"container \"{id}\" does not exist");
    }

    [RootFact]
    public void Kill_with_signal_0_checks_the_container_is_there_and_leaves_it_running()
    {
        var id = NewId();
        RunDetachedOk(NewBundle(id, "sleep", "100"), id);
        var result = Runtime.Run("kill", id, "0");
        result.ExitCode.Should().Be(0, result.ToString());
        Runtime.Run("kill", "--all", id, "0").ExitCode.Should().Be(0);
        ((string?)State(id)["status"]).Should().Be("running");
    }

    [RootFact]
    public void A_root_that_is_a_file_fails_every_command_on_containers_as_runc_does()
    {
        var file = Path.Combine(Work, "rootfile");
        File.WriteAllText(file, "");
        var id = NewId();
        foreach (var args in new[] { new[] { "list" }, ["state", id], ["delete", id], ["delete", "--force", id], ["kill", id, "9"], ["kill", "--all", id] })
            FailsWithOneLine(["--root", file, .. args], $"mkdir {file}: not a directory");
        FailsWithOneLine(["--root", Path.Combine(file, "sub"), "list"], $"mkdir {file}: not a directory");
        Runtime.Exec(["--root", file, "features"]).ExitCode.Should().Be(0, "a verb that does not use --root does not check it");
    }

    [RootFact]
    public void Files_the_runtime_cannot_write_are_named_in_strerror_words()
    {
        var missing = Path.Combine(Work, "nodir");
        var message = FailsWithOneLine(WithRoot("spec", "--bundle", missing), $"write {Path.Combine(missing, "config.json")}: No such file or directory");
        message.Should().NotContain("'", ".NET's text repeats the path in quotes");
    }

    [RootFact]
    public void An_empty_bundle_is_the_current_directory_as_with_runc()
    {
        var id = NewId();
        var bundle = NewBundle(id, "true").Write();
        var result = Runtime.RunIn(bundle.Dir, "run", "--bundle", "", "--pid-file", "", id);
        result.ExitCode.Should().Be(0, result.ToString());
    }
}
