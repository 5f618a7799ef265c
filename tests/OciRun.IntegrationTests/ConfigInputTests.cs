using System.Diagnostics;
using System.Text;
using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

/// <summary>
/// A config.json that is wrong as a file or as JSON: `create` exits 1 with one
/// line on stderr naming every problem, the same line goes to a JSON --log, and
/// nothing is left in --root or the cgroups.
/// </summary>
public sealed class ConfigInputTests : ContainerTest
{
    private string ConfigOf(Bundle bundle) => Path.Combine(bundle.Dir, "config.json");

    /// <summary>Runs create with a JSON log and checks the failure is clean; returns the one line of stderr.</summary>
    private string CreateFails(Bundle bundle, string id, params string[] mentions)
    {
        var log = Path.Combine(Work, $"log-{id}.json");
        var clock = Stopwatch.StartNew();
        var result = Runtime.Run("--log", log, "--log-format", "json", "create", "--bundle", bundle.Dir, id);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "a bad config fails at once");

        result.ExitCode.Should().Be(1, result.ToString());
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(1, $"one line, no stack trace: {result}");
        var line = lines[0];
        line.Should().StartWith("oci-run: ").And.NotContain("   at ").And.NotContain("Exception");
        foreach (var m in mentions) line.Should().Contain(m);

        var logLines = File.ReadAllLines(log);
        logLines.Should().HaveCount(1);
        var entry = JsonNode.Parse(logLines[0])!.AsObject();
        ((string?)entry["level"]).Should().Be("error");
        ((string?)entry["msg"]).Should().Be(line["oci-run: ".Length..]);

        Directory.Exists(Path.Combine(Runtime.Root, id)).Should().BeFalse("a failed create leaves no state behind");
        if (Directory.Exists(Runtime.Root)) Directory.EnumerateFileSystemEntries(Runtime.Root).Should().BeEmpty();
        CgroupDirs(id).Should().BeEmpty("a failed create leaves no cgroup behind");
        return line;
    }

    [RootFact]
    public void A_config_that_is_not_utf8_is_named()
    {
        var id = NewId();
        var bundle = NewBundle(id, "true");
        bundle.Config["hostname"] = "HOSTNAME";
        var text = Encoding.UTF8.GetBytes(bundle.Config.ToJsonString()).ToList();
        var at = Encoding.UTF8.GetBytes(bundle.Config.ToJsonString()).AsSpan().IndexOf("HOSTNAME"u8);
        text[at] = 0xFF;
        File.WriteAllBytes(ConfigOf(bundle), [.. text]);
        CreateFails(bundle, id, "config.json: not valid UTF-8 at line 1, column ", "(byte 0xFF)");
    }

    [RootFact]
    public void A_config_that_is_a_symlink_to_dev_zero_fails_at_once()
    {
        var id = NewId();
        var bundle = NewBundle(id, "true");
        File.CreateSymbolicLink(ConfigOf(bundle), "/dev/zero");
        CreateFails(bundle, id, "config.json: not a regular file but a character device");
    }

    [RootFact]
    public void A_config_that_is_a_symlink_to_a_file_is_read()
    {
        var id = NewId();
        var bundle = NewBundle(id, "echo", "linked").Write();
        var real = Path.Combine(Work, "real-config.json");
        File.Move(ConfigOf(bundle), real);
        File.CreateSymbolicLink(ConfigOf(bundle), real);
        var result = Runtime.Run("run", "--bundle", bundle.Dir, id);
        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Be("linked\n");
    }

    [RootFact]
    public void Json_with_a_comment_is_refused()
    {
        var id = NewId();
        var bundle = NewBundle(id, "true");
        File.WriteAllText(ConfigOf(bundle), "{ // a comment\n" + bundle.Config.ToJsonString()[1..]);
        CreateFails(bundle, id, "config.json: invalid JSON at line 1, column 3", "a comment");
    }

    [RootFact]
    public void Json_with_a_trailing_comma_is_refused()
    {
        var id = NewId();
        var bundle = NewBundle(id, "true");
        File.WriteAllText(ConfigOf(bundle), bundle.Config.ToJsonString()[..^1] + ",}");
        CreateFails(bundle, id, "config.json: invalid JSON at line 1", "trailing comma");
    }

    [RootFact]
    public void A_missing_or_wrong_oci_version_is_named()
    {
        foreach (var version in new string?[] { null, "", "abc", "99.0.0" })
        {
            var id = NewId();
            var bundle = NewBundle(id, "true");
            if (version is null) bundle.Config.Remove("ociVersion");
            else bundle.Config["ociVersion"] = version;
            var line = CreateFails(bundle.Write(), id, "config.json: ociVersion: ");
            line.Should().Contain(version is null ? "missing" : $"\"{version}\"");
        }
    }

    [RootFact]
    public void A_newer_1_x_oci_version_is_accepted()
    {
        var id = NewId();
        var bundle = NewBundle(id, "echo", "ok");
        bundle.Config["ociVersion"] = "1.3.0";
        RunOk(bundle, id).Should().Be("ok\n");
    }

    [RootFact]
    public void A_nul_in_the_hostname_is_refused()
    {
        var id = NewId();
        var bundle = NewBundle(id, "true");
        bundle.Config["hostname"] = "box\0evil";
        CreateFails(bundle.Write(), id, "config.json: hostname: contains a NUL character");
    }

    [RootFact]
    public void A_100_KB_hostname_is_refused_and_shown_cut()
    {
        var id = NewId();
        var bundle = NewBundle(id, "true");
        bundle.Config["hostname"] = new string('h', 100_000);
        var line = CreateFails(bundle.Write(), id, "config.json: hostname: ", "(cut: 100000 characters in all)", "longer than 64 bytes");
        line.Length.Should().BeLessThan(300);
    }

    [RootFact]
    public void Several_wrong_fields_are_named_at_once()
    {
        var id = NewId();
        var bundle = NewBundle(id, "true");
        bundle.Process["user"]!["uid"] = "root";
        bundle.Process["terminal"] = "no";
        bundle.Process["cwd"] = "relative";
        bundle.Config["ociVersion"] = "abc";
        CreateFails(bundle.Write(), id, "config.json: 4 problems: ",
            "process.terminal: expected true or false", "process.user.uid: expected an integer", "ociVersion: \"abc\"",
            "process.cwd: must be an absolute path");
    }
}
