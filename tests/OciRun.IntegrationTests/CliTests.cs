using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

public sealed class CliTests : ContainerTest
{
    [RootFact]
    public void Version_has_the_lines_containerd_parses()
    {
        var lines = Runtime.Exec(["--version"]).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(3);
        lines[0].Should().MatchRegex(@"^\S+ version \S+");
        lines[1].Should().StartWith("commit: ");
        lines[2].Should().MatchRegex(@"^spec: 1\.\d+\.\d+");
    }

    [RootFact]
    public void Spec_writes_a_config_that_runs_and_refuses_to_overwrite_it()
    {
        var dir = Directory.CreateDirectory(Path.Combine(Work, "specdir")).FullName;
        Runtime.RunIn(dir, "spec").ExitCode.Should().Be(0);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!;
        ((string?)config["root"]!["path"]).Should().Be("rootfs");
        config["linux"]!["namespaces"]!.AsArray().Select(n => (string)n!["type"]!).Should().Contain(["pid", "mount", "network"]);

        var again = Runtime.RunIn(dir, "spec");
        again.ExitCode.Should().Be(1);
        again.Stderr.Should().Contain("exists");

        // The default spec, pointed at a rootfs, runs (without its terminal: TerminalTests have those).
        var id = NewId();
        var bundle = NewBundle(id, "true");
        config["root"]!["path"] = bundle.Config["root"]!["path"]!.GetValue<string>();
        config["process"]!["args"] = new JsonArray("true");
        config["process"]!["terminal"] = false; // runc's default has one; this test has no terminal to attach it to
        File.WriteAllText(Path.Combine(dir, "config.json"), config.ToJsonString());
        Runtime.Run("run", "--bundle", dir, id).ExitCode.Should().Be(0);
    }

    [RootFact]
    public void Features_say_what_is_implemented_and_what_is_not()
    {
        var result = Runtime.Exec(["features"]);
        result.ExitCode.Should().Be(0, result.ToString());
        var features = JsonNode.Parse(result.Stdout)!;
        ((string?)features["ociVersionMin"]).Should().NotBeNullOrEmpty();
        features["linux"]!["namespaces"]!.AsArray().Select(n => (string)n!).Should().Contain(["pid", "mount", "network", "user"]);
        features["linux"]!["capabilities"]!.AsArray().Select(n => (string)n!).Should().Contain("CAP_SYS_ADMIN");
        features["mountOptions"]!.AsArray().Select(n => (string)n!).Should().Contain(["ro", "rbind", "rprivate"]);
        if (Runtime.Binary.EndsWith("oci-run"))
        {
            // oci-run's own gaps must be declared, not only refused at create; what it has, listed.
            ((bool)features["linux"]!["intelRdt"]!["enabled"]!).Should().BeFalse();
            ((bool)features["linux"]!["apparmor"]!["enabled"]!).Should().BeTrue("applied where the host has the module, as runc's features say");
            features["hooks"]!.AsArray().Select(n => (string)n!).Should().Equal("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop");
            ((bool)features["linux"]!["cgroup"]!["rdma"]!).Should().BeTrue();
            ((bool)features["linux"]!["netDevices"]!["enabled"]!).Should().BeTrue();
            features["linux"]!["namespaces"]!.AsArray().Select(n => (string)n!).Should().Contain("time");
            features["linux"]!["memoryPolicy"]!["modes"]!.AsArray().Select(n => (string)n!).Should().Contain(["MPOL_BIND", "MPOL_INTERLEAVE"]);
            features["linux"]!["memoryPolicy"]!["flags"]!.AsArray().Select(n => (string)n!).Should().Contain("MPOL_F_STATIC_NODES");
        }
    }

    [RootFact]
    public void Debug_says_what_ran_on_stderr_without_a_log()
    {
        var result = Runtime.Run("--debug", "list", "-q");
        result.ExitCode.Should().Be(0);
        result.Stderr.Should().Contain("debug").And.Contain("list");
        Runtime.Run("list", "-q").Stderr.Should().BeEmpty("without --debug nothing is said");
    }

    [RootFact]
    public void A_json_log_gets_the_error_a_shim_reads_back()
    {
        var id = NewId();
        var log = Path.Combine(Work, "log.json");
        var result = Runtime.Run("--log", log, "--log-format", "json", "state", id);
        result.ExitCode.Should().Be(1);
        var line = JsonNode.Parse(File.ReadAllLines(log).Last())!;
        ((string?)line["level"]).Should().Be("error");
        ((string?)line["msg"]).Should().Contain(id);
        ((string?)line["time"]).Should().NotBeNullOrEmpty();
    }
}
