using System.Diagnostics;
using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

/// <summary>
/// pause, resume, and what a paused container means to state, list, ps, kill
/// and delete; events with --stats, at an interval, and for an OOM kill. Where
/// runc is installed, the same steps run with it too and must answer alike.
/// Skipped where the host has no cgroup freezer.
/// </summary>
public sealed class PauseAndEventsTests : ContainerTest
{
    private const string Counter = "i=0; while true; do i=$((i+1)); echo $i > /data/counter.new; mv /data/counter.new /data/counter; sleep 0.02; done";

    /// <summary>A v1 freezer hierarchy, or on a pure v2 host cgroups with cgroup.freeze (Linux 5.2).</summary>
    private static void SkipWithoutFreezer()
    {
        var hasFreezer = HostCgroups.HasV1
            ? HostCgroups.V1("freezer") is not null
            : Directory.EnumerateDirectories(HostCgroups.Any.Dir("/")).Any(d => File.Exists(Path.Combine(d, "cgroup.freeze")));
        Skip.IfNot(hasFreezer, "the host has no cgroup freezer (v1 freezer hierarchy, or v2 cgroup.freeze)");
    }

    /// <summary>A container counting into /data/counter, a host directory: returns that file's host path.</summary>
    private string RunCounter(string id)
    {
        var data = Directory.CreateDirectory(Path.Combine(Work, $"data-{id}")).FullName;
        var bundle = NewBundle(id, "sh", "-c", Counter);
        bundle.Mounts.Add(new JsonObject
        {
            ["destination"] = "/data", ["type"] = "bind", ["source"] = data, ["options"] = new JsonArray("rbind", "rw"),
        });
        RunDetachedOk(bundle, id);
        var counter = Path.Combine(data, "counter");
        WaitUntil(() => ReadCounter(counter) > 0, "the container to start counting");
        return counter;
    }

    private static long ReadCounter(string path)
    {
        try { return long.TryParse(File.ReadAllText(path).Trim(), out var n) ? n : 0; }
        catch (FileNotFoundException) { return 0; }
    }

    private static void WaitUntil(Func<bool> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited {seconds}s for {what}");
            Thread.Sleep(20);
        }
    }

    private string Status(string id) => (string)State(id)["status"]!;

    private void Ok(params string[] args)
    {
        var result = Runtime.Run(args);
        result.ExitCode.Should().Be(0, result.ToString());
    }

    private void FailsWith(string message, params string[] args)
    {
        var result = Runtime.Run(args);
        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain(message);
    }

    [RootFact]
    public void Pause_stops_the_counter_and_resume_lets_it_go_on()
    {
        SkipWithoutFreezer();
        var id = NewId();
        var counter = RunCounter(id);
        Status(id).Should().Be("running");

        Ok("pause", id);
        Status(id).Should().Be("paused");
        var paused = ReadCounter(counter);
        Thread.Sleep(500);
        ReadCounter(counter).Should().Be(paused, "nothing in a paused container runs");
        JsonNode.Parse(Runtime.Run("list", "--format", "json").Stdout)!.AsArray()
            .Should().ContainSingle(c => (string)c!["id"]! == id && (string)c["status"]! == "paused");
        ((int)State(id)["pid"]!).Should().BeGreaterThan(0, "a paused container keeps its init");

        Ok("resume", id);
        Status(id).Should().Be("running");
        WaitUntil(() => ReadCounter(counter) > paused, "the counter to move again after resume");
    }

    [RootFact]
    public void Ps_of_a_paused_container_lists_its_processes()
    {
        SkipWithoutFreezer();
        var id = NewId();
        RunDetachedOk(NewBundle(id, "sh", "-c", "sleep 300 & sleep 300 & wait"), id);
        var pids = WaitForProcesses(id, 3);
        Ok("pause", id);
        var json = Runtime.Run("ps", "--format", "json", id);
        json.ExitCode.Should().Be(0, json.ToString());
        JsonNode.Parse(json.Stdout)!.AsArray().Select(p => (int)p!).Should().Equal(pids);
        var table = Runtime.Run("ps", id).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        table.Skip(1).Should().HaveCount(3);
    }

    [RootFact]
    public void Pause_twice_and_resume_of_a_running_container_fail_in_runcs_words_and_change_nothing()
    {
        SkipWithoutFreezer();
        var id = NewId();
        var counter = RunCounter(id);

        FailsWith("container not paused", "resume", id);
        Status(id).Should().Be("running");
        Ok("pause", id);
        FailsWith("container not running", "pause", id);
        Status(id).Should().Be("paused", "a second pause leaves the container paused");
        var paused = ReadCounter(counter);
        Thread.Sleep(200);
        ReadCounter(counter).Should().Be(paused);
        FailsWith("cannot delete container", "delete", id);
        Status(id).Should().Be("paused", "delete without --force leaves a paused container alone");
        Ok("resume", id);
        FailsWith("container not paused", "resume", id);
        Status(id).Should().Be("running");

        FailsWith($"container \"nope-{id}\" does not exist", "pause", $"nope-{id}");
        FailsWith($"container \"nope-{id}\" does not exist", "resume", $"nope-{id}");
        Ok("kill", id, "KILL");
        WaitForStatus(id, "stopped");
        FailsWith("container not running", "pause", id);
        FailsWith("container not paused", "resume", id);
        FailsWith($"container with id {id} is not running", "events", "--stats", id);
    }

    [RootFact]
    public void A_created_container_can_be_paused_and_is_not_started_while_paused()
    {
        SkipWithoutFreezer();
        var id = NewId();
        CreateOk(NewBundle(id, "true"), id);
        Ok("pause", id);
        Status(id).Should().Be("paused");
        FailsWith("cannot start a container in the paused state", "start", id);
        Ok("resume", id);
        Status(id).Should().Be("created");
    }

    [RootFact]
    public void Delete_force_of_a_paused_container_kills_everything_and_leaves_no_cgroup()
    {
        SkipWithoutFreezer();
        var id = NewId();
        RunDetachedOk(NewBundle(id, "sh", "-c", "sleep 300 & sleep 300 & wait"), id);
        var pids = WaitForProcesses(id, 3);
        Ok("pause", id);

        var clock = Stopwatch.StartNew();
        var result = Runtime.Exec(["--root", Runtime.Root, "delete", "--force", id], timeoutSeconds: 20);
        result.ExitCode.Should().Be(0, result.ToString());
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "a frozen init must not hold up delete");
        pids.Should().OnlyContain(p => IsGone(p));
        CgroupDirs(id).Should().BeEmpty("no hierarchy keeps the container's cgroup");
        Runtime.Run("state", id).ExitCode.Should().Be(1);
    }

    [RootFact]
    public void Kill_of_a_paused_container_acts_as_runcs()
    {
        SkipWithoutFreezer();
        // SIGKILL: init is killed and the cgroup thawed so it can die.
        var killed = NewId();
        RunCounter(killed);
        Ok("pause", killed);
        Ok("kill", killed, "KILL");
        WaitForStatus(killed, "stopped");

        // Another signal waits for resume, as a stopped process's would.
        var termed = NewId();
        var output = Path.Combine(Work, "term-out");
        var bundle = NewBundle(termed, "sh", "-c", "trap 'echo term; exit 0' TERM; while true; do sleep 0.05; done").Write();
        Runtime.Shell($"{Runtime.Binary} --root {Runtime.Root} run --detach --bundle {bundle.Dir} {termed} </dev/null >{output} 2>&1").ExitCode.Should().Be(0);
        Thread.Sleep(200);
        Ok("pause", termed);
        Ok("kill", termed, "TERM");
        Thread.Sleep(300);
        Status(termed).Should().Be("paused");
        File.ReadAllText(output).Should().BeEmpty("the trap runs only once the container is thawed");
        Ok("resume", termed);
        WaitForStatus(termed, "stopped");
        File.ReadAllText(output).Should().Be("term\n");

        // kill --all freezes, signals and thaws: in runc 1.1.5 that resumes a paused container.
        var all = NewId();
        var counter = RunCounter(all);
        Ok("pause", all);
        Ok("kill", "--all", all, "CONT");
        Status(all).Should().Be("running");
        var now = ReadCounter(counter);
        WaitUntil(() => ReadCounter(counter) > now, "the counter to move after kill --all");
    }

    [RootFact]
    public void Events_stats_prints_one_json_line_with_memory_usage_and_pids()
    {
        var id = NewId();
        RunDetachedOk(NewBundle(id, "sleep", "300"), id);
        var result = Runtime.Run("events", "--stats", id);
        result.ExitCode.Should().Be(0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle();
        var line = JsonNode.Parse(lines[0])!;
        ((string?)line["type"]).Should().Be("stats");
        ((string?)line["id"]).Should().Be(id);
        var data = line["data"]!;
        ((ulong)data["memory"]!["usage"]!["usage"]!).Should().BeGreaterThan(0);
        ((ulong)data["pids"]!["current"]!).Should().BeGreaterThanOrEqualTo(1);
        data["cpu"]!["usage"]!["user"].Should().NotBeNull("runc always writes user and kernel time");
    }

    [RootFact]
    public void Events_streams_stats_at_the_interval_and_ends_when_the_container_stops()
    {
        var id = NewId();
        RunDetachedOk(NewBundle(id, "sleep", "1"), id);
        var clock = Stopwatch.StartNew();
        var result = Runtime.Exec(["--root", Runtime.Root, "events", "--interval", "200ms", id], timeoutSeconds: 20);
        result.ExitCode.Should().Be(0, result.ToString());
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        lines.Should().HaveCountGreaterThanOrEqualTo(2, "a second at 200 ms gives about five")
            .And.OnlyContain(l => (string)l["type"]! == "stats" && (string)l["id"]! == id);
        FailsWith("duration interval must be greater than 0", "events", "--interval", "0s", id);
        FailsWith("invalid value \"5\" for flag --interval", "events", "--interval", "5", id);
    }

    [RootFact]
    public void An_oom_kill_is_reported_as_an_oom_event()
    {
        var id = NewId();
        var bundle = NewBundle(id, "sh", "-c", "sleep 2; tail /dev/zero; sleep 0.5");
        bundle.Linux["resources"] = new JsonObject { ["memory"] = new JsonObject { ["limit"] = 32L << 20, ["swap"] = 32L << 20 } };
        var create = Detached("run", "--detach", "--bundle", bundle.Write().Dir, id);
        Skip.If(create.ExitCode != 0 && create.Stdout.Contains("linux.resources.memory"),
            $"create refuses memory limits on this build (\"{create.Stdout.Trim()}\"); this test runs once they are written");
        create.ExitCode.Should().Be(0, create.ToString());
        OomEventsOf(id).Should().Contain(line => line.StartsWith("{\"type\":\"oom\",\"id\":\"" + id + "\"}"));
    }

    [RootFact]
    public void An_oom_kill_under_a_limit_written_on_the_host_is_reported()
    {
        // The same as above with the limit written straight into the cgroup, so the OOM path is
        // checked before create writes memory limits itself.
        var id = NewId();
        RunDetachedOk(NewBundle(id, "sh", "-c", "sleep 2; tail /dev/zero; sleep 0.5"), id);
        var limited = LimitMemoryOnTheHost($"/{CgroupParent}/{id}", 32L << 20);
        Skip.IfNot(limited, "no memory controller files for the container's cgroup on this host");
        OomEventsOf(id).Should().Contain(line => line == "{\"type\":\"oom\",\"id\":\"" + id + "\"}");
    }

    // `events` until the container stops, at a short interval.
    private List<string> OomEventsOf(string id)
    {
        var result = Runtime.Exec(["--root", Runtime.Root, "events", "--interval", "100ms", id], timeoutSeconds: 30);
        result.ExitCode.Should().Be(0, result.ToString());
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    private static bool LimitMemoryOnTheHost(string cgroupPath, long bytes)
    {
        if (HostCgroups.V1("memory") is { } v1)
        {
            var dir = v1.Dir(cgroupPath);
            if (!File.Exists(Path.Combine(dir, "memory.limit_in_bytes"))) return false;
            File.WriteAllText(Path.Combine(dir, "memory.limit_in_bytes"), bytes.ToString());
            if (File.Exists(Path.Combine(dir, "memory.memsw.limit_in_bytes")))
                File.WriteAllText(Path.Combine(dir, "memory.memsw.limit_in_bytes"), bytes.ToString());
            return true;
        }
        var unified = HostCgroups.Any.Dir(cgroupPath);
        if (!File.Exists(Path.Combine(unified, "memory.max"))) return false;
        File.WriteAllText(Path.Combine(unified, "memory.max"), bytes.ToString());
        if (File.Exists(Path.Combine(unified, "memory.swap.max"))) File.WriteAllText(Path.Combine(unified, "memory.swap.max"), "0");
        return true;
    }

    // ---- side by side with runc ----

    [RootFact]
    public void Runc_answers_pause_resume_delete_and_events_alike()
    {
        SkipWithoutFreezer();
        Skip.If(FindRunc() is null, "runc is not installed (apt-get install runc)");
        var runcRoot = Path.Combine(Work, "runc-root");
        var ours = NewId("ours");
        var theirs = NewId("runc");
        RunDetachedOk(NewBundle(ours, "sleep", "300"), ours);
        var runcBundle = NewBundle(theirs, "sleep", "300").Write();
        try
        {
            Runtime.Shell($"runc --root {runcRoot} run --detach --bundle {runcBundle.Dir} {theirs} </dev/null >/dev/null 2>&1").ExitCode.Should().Be(0);
            RunResult Runc(params string[] args) => Runtime.Shell($"runc --root {runcRoot} {string.Join(' ', args)}");

            // Each step: the same exit status, and runc's message inside ours.
            foreach (var step in new[] { "resume", "pause", "pause", "delete", "state", "resume", "resume" })
            {
                var r = Runc(step, theirs);
                var o = Runtime.Run(step, ours);
                o.ExitCode.Should().Be(r.ExitCode, $"{step}: runc said {r}, oci-run {o}");
                if (r.ExitCode != 0) Normalized(o.Stderr, ours).Should().Contain(Normalized(RuncMessage(r.Stderr), theirs), step);
                if (step == "state") ((string)JsonNode.Parse(o.Stdout)!["status"]!).Should().Be((string)JsonNode.Parse(r.Stdout)!["status"]!);
            }

            // events --stats: every object and field name oci-run writes is one runc writes.
            var runcStats = JsonNode.Parse(Runc("events", "--stats", theirs).Stdout)!;
            var ourStats = JsonNode.Parse(Runtime.Run("events", "--stats", ours).Stdout)!;
            Names(ourStats).Should().BeSubsetOf(Names(runcStats));
            foreach (var part in new[] { "data.cpu", "data.memory", "data.memory.usage", "data.pids" })
                Names(ourStats).Where(n => n.StartsWith(part + ".")).Should().NotBeEmpty(part);
            Runc("delete", "--force", theirs).ExitCode.Should().Be(0);
            Runtime.Run("delete", "--force", ours).ExitCode.Should().Be(0);
        }
        finally
        {
            Runtime.Shell($"runc --root {runcRoot} delete --force {theirs}");
        }
    }

    private static string? FindRunc() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin").Split(':')
            .Select(d => Path.Combine(d, "runc")).FirstOrDefault(File.Exists);

    // runc's stderr: time="..." level=error msg="container not running"
    private static string RuncMessage(string stderr)
    {
        var at = stderr.IndexOf("msg=\"", StringComparison.Ordinal);
        return at < 0 ? stderr.Trim() : stderr[(at + 5)..].Split('"')[0];
    }

    // A message without the container's ID, quotes and doubled spaces: runc names the ID bare, oci-run quoted.
    private static string Normalized(string message, string id) =>
        string.Join(' ', message.Replace(id, "").Replace("\"", "").Split(' ', StringSplitOptions.RemoveEmptyEntries));

    // Dotted paths of every object member, with array elements and map keys (memory.raw, hugetlb) left out.
    private static HashSet<string> Names(JsonNode node, string prefix = "")
    {
        var names = new HashSet<string>();
        if (node is not JsonObject obj) return names;
        foreach (var (name, child) in obj)
        {
            var path = prefix.Length == 0 ? name : $"{prefix}.{name}";
            names.Add(path);
            if (child is JsonObject && !path.EndsWith(".raw") && !path.EndsWith(".hugetlb")) names.UnionWith(Names(child, path));
        }
        return names;
    }
}
