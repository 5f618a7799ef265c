using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

/// <summary>What the container's process sees of itself.</summary>
public sealed class ProcessTests : ContainerTest
{
    [RootFact]
    public void Exit_status_of_the_process_is_the_exit_status_of_run()
    {
        var id = NewId();
        RunContainer(NewBundle(id, "sh", "-c", "exit 3"), id).ExitCode.Should().Be(3);
        var other = NewId();
        RunContainer(NewBundle(other, "true"), other).ExitCode.Should().Be(0);
    }

    [RootFact]
    public void A_process_killed_by_a_signal_exits_128_plus_the_signal()
    {
        var id = NewId();
        var bundle = NewBundle(id, "sleep", "100").Write();
        var run = Task.Run(() => Runtime.Shell($"exec {Runtime.Binary} --root {Runtime.Root} run --bundle {bundle.Dir} {id} </dev/null >/dev/null 2>&1"));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Runtime.Run("state", id) is var s && !s.Stdout.Contains("\"running\"") && DateTime.UtcNow < deadline) Thread.Sleep(10);
        Runtime.Run("kill", id, "KILL").ExitCode.Should().Be(0);
        run.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue();
        run.Result.ExitCode.Should().Be(137);
    }

    [RootFact]
    public void A_signal_sent_to_run_reaches_the_container_and_run_exits_with_its_status()
    {
        var id = NewId();
        var pidFile = Path.Combine(Work, "run.pid");
        // PID 1 of a PID namespace ignores signals it has no handler for: the process traps TERM.
        var bundle = NewBundle(id, "sh", "-c", "trap 'exit 7' TERM; while true; do sleep 0.1; done").Write();
        var run = Task.Run(() => Runtime.Shell($"echo $$ > {pidFile}; exec {Runtime.Binary} --root {Runtime.Root} run --bundle {bundle.Dir} {id} </dev/null >/dev/null 2>&1"));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Runtime.Run("state", id) is var s && !s.Stdout.Contains("\"running\"") && DateTime.UtcNow < deadline) Thread.Sleep(10);
        Runtime.Shell($"kill -TERM $(cat {pidFile})").ExitCode.Should().Be(0);
        run.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue();
        run.Result.ExitCode.Should().Be(7, "run forwards SIGTERM and exits with the container's status");
        Runtime.Run("state", id).ExitCode.Should().Be(1, "run deletes the container when it exits");
    }

    [RootFact]
    public void The_process_is_pid_1_with_the_configured_hostname()
    {
        var id = NewId();
        var bundle = NewBundle(id, "sh", "-c", "echo $$; hostname");
        bundle.Config["hostname"] = "box-7";
        RunOk(bundle, id).Should().Be("1\nbox-7\n");
    }

    [RootFact]
    public void User_groups_cwd_umask_and_env_are_as_configured()
    {
        var id = NewId();
        var bundle = NewBundle(id, "sh", "-c", "grep -E '^(Uid|Gid|Groups):' /proc/self/status; pwd; umask; echo FOO=$FOO HOME=$HOME");
        bundle.Process["user"] = new JsonObject { ["uid"] = 1000, ["gid"] = 1000, ["additionalGids"] = new JsonArray(10, 20), ["umask"] = 23 };
        bundle.Process["cwd"] = "/tmp";
        bundle.Process["env"]!.AsArray().Add("FOO=bar");
        var lines = RunOk(bundle, id).Split('\n');
        lines[0].Should().MatchRegex(@"^Uid:\s+1000\s+1000\s+1000\s+1000$");
        lines[1].Should().MatchRegex(@"^Gid:\s+1000\s+1000\s+1000\s+1000$");
        lines[2].Trim().Should().Be("Groups:\t10 20");
        lines[3].Should().Be("/tmp");
        lines[4].Should().Be("0027");
        lines[5].Should().Be("FOO=bar HOME=/home/user");
    }

    [RootFact]
    public void Rlimits_are_applied()
    {
        var id = NewId();
        var bundle = NewBundle(id, "grep", "Max open files", "/proc/self/limits");
        bundle.Process["rlimits"] = new JsonArray(new JsonObject { ["type"] = "RLIMIT_NOFILE", ["soft"] = 4096, ["hard"] = 8192 });
        RunOk(bundle, id).Should().MatchRegex(@"Max open files\s+4096\s+8192\s+files");
    }

    [RootFact]
    public void Capabilities_and_no_new_privileges_are_applied()
    {
        var id = NewId();
        var bundle = NewBundle(id, "grep", "-E", "^(CapEff|CapBnd|NoNewPrivs):", "/proc/self/status");
        // CAP_KILL (5), CAP_NET_BIND_SERVICE (10), CAP_AUDIT_WRITE (29)
        RunOk(bundle, id).Should().Be("CapEff:\t0000000020000420\nCapBnd:\t0000000020000420\nNoNewPrivs:\t1\n");
    }

    [RootFact]
    public void A_missing_executable_fails_create_with_its_name()
    {
        var id = NewId();
        var result = RunContainer(NewBundle(id, "no-such-program"), id);
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("no-such-program");
        Directory.Exists(Path.Combine(Runtime.Root, id)).Should().BeFalse();
    }

    [RootFact]
    public void Only_stdio_and_preserved_fds_reach_the_process()
    {
        var id = NewId();
        var bundle = NewBundle(id, "ls", "/proc/self/fd").Write();
        var plain = Runtime.Shell($"exec 3</etc/hostname 4</etc/hostname; exec {Runtime.Binary} --root {Runtime.Root} run --bundle {bundle.Dir} {id}");
        plain.ExitCode.Should().Be(0, plain.ToString());
        plain.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal("0", "1", "2", "3"); // 3 is ls's own directory fd

        var preserved = NewId();
        var bundle2 = NewBundle(preserved, "ls", "/proc/self/fd").Write();
        var result = Runtime.Shell($"exec 3</etc/hostname; exec {Runtime.Binary} --root {Runtime.Root} run --preserve-fds 1 --bundle {bundle2.Dir} {preserved}");
        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal("0", "1", "2", "3", "4");
    }
}
