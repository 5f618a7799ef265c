using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

/// <summary>create, start, state, list, kill, delete as a person or a shim drives them.</summary>
public sealed class LifecycleTests : ContainerTest
{
    [RootFact]
    public void Create_start_and_exit_move_through_created_running_stopped()
    {
        var id = NewId();
        var output = Path.Combine(Work, "out");
        var bundle = NewBundle(id, "sh", "-c", "echo started; sleep 1; echo done").Write();
        var pidFile = Path.Combine(Work, "pid");
        // The container's stdio is create's: here a file.
        var create = Runtime.Shell($"{Runtime.Binary} --root {Runtime.Root} create --bundle {bundle.Dir} --pid-file {pidFile} {id} </dev/null >{output} 2>&1");
        create.ExitCode.Should().Be(0, create.ToString());

        var created = State(id);
        ((string?)created["status"]).Should().Be("created");
        ((int)created["pid"]!).Should().BeGreaterThan(0);
        File.ReadAllText(pidFile).Should().Be(((int)created["pid"]!).ToString());
        ((string?)created["id"]).Should().Be(id);
        ((string?)created["bundle"]).Should().Be(bundle.Dir);
        ((string?)created["ociVersion"]).Should().NotBeNullOrEmpty();
        DateTime.Parse((string)created["created"]!).Should().BeCloseTo(DateTime.Now, TimeSpan.FromMinutes(5));
        Thread.Sleep(100);
        File.ReadAllText(output).Should().BeEmpty("the process must not run before start");

        Runtime.Run("start", id).ExitCode.Should().Be(0);
        ((string?)State(id)["status"]).Should().Be("running");
        ((int)State(id)["pid"]!).Should().Be((int)created["pid"]!, "the process keeps init's PID");

        WaitForStatus(id, "stopped");
        File.ReadAllText(output).Should().Be("started\ndone\n");
        ((int)State(id)["pid"]!).Should().Be(0);

        Runtime.Run("delete", id).ExitCode.Should().Be(0);
        Runtime.Run("state", id).ExitCode.Should().Be(1);
        Directory.Exists(Path.Combine(Runtime.Root, id)).Should().BeFalse();
    }

    [RootFact]
    public void Init_runs_from_a_sealed_copy_of_the_binary_not_the_host_file()
    {
        // CVE-2019-5736: what /proc/PID/exe of init leads to must not be the host's oci-run.
        var id = NewId();
        CreateOk(NewBundle(id, "true"), id);
        var pid = (int)State(id)["pid"]!;
        var exe = new FileInfo($"/proc/{pid}/exe");
        exe.LinkTarget.Should().NotBe(Runtime.Binary);
        var host = Runtime.Shell($"stat -L -c '%d:%i' {Runtime.Binary} /proc/{pid}/exe").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        host.Should().HaveCount(2);
        host[1].Should().NotBe(host[0], "init's executable is another file than the host binary");
        var write = Runtime.Shell($"echo x >> /proc/{pid}/exe");
        write.ExitCode.Should().NotBe(0, "the sealed copy cannot be written");
    }

    [RootFact]
    public void List_shows_every_container_in_table_json_and_quiet_form()
    {
        var a = NewId("a");
        var b = NewId("b");
        Runtime.Run("list", "--format", "json").Stdout.Trim().Should().Be("null", "runc prints null when there is nothing");
        CreateOk(NewBundle(a, "true"), a);
        RunDetachedOk(NewBundle(b, "sleep", "100"), b);

        Runtime.Run("list", "-q").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().BeEquivalentTo(a, b);
        var json = JsonNode.Parse(Runtime.Run("list", "--format", "json").Stdout)!.AsArray();
        json.Select(e => ((string)e!["id"]!, (string)e["status"]!)).Should().BeEquivalentTo([(a, "created"), (b, "running")]);
        var table = Runtime.Run("list").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        table[0].Should().MatchRegex(@"^ID\s+PID\s+STATUS\s+BUNDLE\s+CREATED\s+OWNER$");
        table.Skip(1).Should().Contain(l => l.StartsWith(b) && l.Contains(" running ") && l.EndsWith("root"));
    }

    [RootFact]
    public void Kill_accepts_names_prefixed_names_and_numbers()
    {
        foreach (var signal in new[] { "KILL", "SIGKILL", "9" })
        {
            var id = NewId();
            RunDetachedOk(NewBundle(id, "sleep", "100"), id);
            Runtime.Run("kill", id, signal).ExitCode.Should().Be(0);
            WaitForStatus(id, "stopped");
        }
    }

    [RootFact]
    public void Kill_without_a_signal_sends_sigterm()
    {
        var id = NewId();
        var output = Path.Combine(Work, "out");
        var bundle = NewBundle(id, "sh", "-c", "trap 'echo term; exit 0' TERM; while true; do sleep 0.05; done").Write();
        Runtime.Shell($"{Runtime.Binary} --root {Runtime.Root} run --detach --bundle {bundle.Dir} {id} </dev/null >{output} 2>&1").ExitCode.Should().Be(0);
        Thread.Sleep(200);
        Runtime.Run("kill", id).ExitCode.Should().Be(0);
        WaitForStatus(id, "stopped");
        File.ReadAllText(output).Should().Be("term\n");
    }

    [RootFact]
    public void Delete_refuses_a_running_container_unless_forced()
    {
        var id = NewId();
        RunDetachedOk(NewBundle(id, "sleep", "100"), id);
        var pid = (int)State(id)["pid"]!;
        var refused = Runtime.Run("delete", id);
        refused.ExitCode.Should().Be(1);
        refused.Stderr.Should().Contain("running");
        ((string?)State(id)["status"]).Should().Be("running");

        Runtime.Run("delete", "--force", id).ExitCode.Should().Be(0);
        IsGone(pid).Should().BeTrue();
        Runtime.Run("state", id).ExitCode.Should().Be(1);
    }

    [RootFact]
    public void Delete_of_a_created_container_kills_its_init()
    {
        var id = NewId();
        CreateOk(NewBundle(id, "true"), id);
        var pid = (int)State(id)["pid"]!;
        Runtime.Run("delete", id).ExitCode.Should().Be(0);
        IsGone(pid).Should().BeTrue();
    }

    [RootFact]
    public void Ps_lists_the_container_processes_as_json_and_as_a_table()
    {
        var id = NewId();
        RunDetachedOk(NewBundle(id, "sh", "-c", "sleep 100 & sleep 100 & wait"), id);
        var expected = WaitForProcesses(id, 3);

        var json = JsonNode.Parse(Runtime.Run("ps", "--format", "json", id).Stdout)!.AsArray();
        json.Select(p => (int)p!).Should().Equal(expected);
        var table = Runtime.Run("ps", id).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        table[0].Should().Contain("PID");
        table.Skip(1).Should().HaveCount(3).And.OnlyContain(l => l.Contains("sleep") || l.Contains("sh"));
    }

    [RootFact]
    public void Run_detach_returns_while_the_container_runs()
    {
        var id = NewId();
        var result = Detached("run", "-d", "--bundle", NewBundle(id, "sleep", "100").Write().Dir, id);
        result.ExitCode.Should().Be(0, result.ToString());
        ((string?)State(id)["status"]).Should().Be("running");
    }

    [RootFact]
    public void Run_deletes_the_container_after_it_exits()
    {
        var id = NewId();
        RunOk(NewBundle(id, "true"), id);
        Runtime.Run("state", id).ExitCode.Should().Be(1);
        CgroupDirs(id).Should().BeEmpty();
    }
}
