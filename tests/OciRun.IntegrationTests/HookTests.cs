using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

/// <summary>The six hook kinds: when each runs, the state it reads on stdin, and what its failure does.</summary>
public sealed class HookTests : ContainerTest
{
    private readonly string _shared;

    public HookTests() => _shared = Directory.CreateDirectory(Path.Combine(Work, "shared")).FullName;

    private string Log => Path.Combine(_shared, "log");

    // A hook that appends "KIND STATE-JSON" to the log; `logPath` is where the log is from where the hook runs.
    private static JsonObject Marker(string kind, string logPath) => new()
    {
        ["path"] = "/bin/sh",
        ["args"] = new JsonArray("sh", "-c", $"printf '%s ' {kind} >> {logPath}; cat >> {logPath}; echo >> {logPath}"),
    };

    private static JsonObject Failing(string what, int timeout = 0)
    {
        var hook = new JsonObject { ["path"] = "/bin/sh", ["args"] = new JsonArray("sh", "-c", what) };
        if (timeout > 0) hook["timeout"] = timeout;
        return hook;
    }

    private Bundle HookBundle(string id, JsonObject hooks, params string[] args)
    {
        var bundle = NewBundle(id, args);
        bundle.Config["hooks"] = hooks;
        bundle.Mounts.Add(new JsonObject { ["destination"] = "/data", ["type"] = "bind", ["source"] = _shared, ["options"] = new JsonArray("rbind", "rw") });
        return bundle;
    }

    private List<(string Kind, JsonObject State)> Entries() =>
        File.ReadAllLines(Log).Where(l => l.Length > 0)
            .Select(l => (l[..l.IndexOf(' ')], JsonNode.Parse(l[(l.IndexOf(' ') + 1)..])!.AsObject())).ToList();

    [RootFact]
    public void Every_hook_kind_runs_in_order_with_the_state_of_its_moment()
    {
        var id = NewId();
        var hooks = new JsonObject
        {
            ["prestart"] = new JsonArray(Marker("prestart", Log)),
            ["createRuntime"] = new JsonArray(Marker("createRuntime", Log)),
            // Before pivot_root the host's paths are still in view; after it, the container's /data is.
            ["createContainer"] = new JsonArray(Marker("createContainer", Log)),
            ["startContainer"] = new JsonArray(Marker("startContainer", "/data/log")),
            ["poststart"] = new JsonArray(Marker("poststart", Log)),
            ["poststop"] = new JsonArray(Marker("poststop", Log)),
        };
        var bundle = HookBundle(id, hooks, "sh", "-c", "while [ ! -e /data/go ]; do sleep 0.05; done");
        CreateOk(bundle, id);
        var pid = (int)State(id)["pid"]!;
        Runtime.Run("start", id).ExitCode.Should().Be(0);
        File.WriteAllText(Path.Combine(_shared, "go"), "");
        WaitForStatus(id, "stopped");
        Runtime.Run("delete", id).ExitCode.Should().Be(0);

        var entries = Entries();
        entries.Select(e => e.Kind).Should().Equal("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop");
        entries.Select(e => (string?)e.State["status"]).Should().Equal("creating", "creating", "creating", "created", "running", "stopped");
        entries.Should().OnlyContain(e => (string?)e.State["id"] == id && (string?)e.State["bundle"] == bundle.Dir);
        // The runtime's hooks see init's host PID; those in the container see it as PID 1.
        entries.Select(e => (int?)e.State["pid"]).Should().Equal(pid, pid, 1, 1, pid, null);
    }

    [RootFact]
    public void Run_runs_the_hooks_too()
    {
        var id = NewId();
        var hooks = new JsonObject { ["prestart"] = new JsonArray(Marker("prestart", Log)), ["poststart"] = new JsonArray(Marker("poststart", Log)), ["poststop"] = new JsonArray(Marker("poststop", Log)) };
        RunOk(HookBundle(id, hooks, "true"), id);
        Entries().Select(e => e.Kind).Should().Equal("prestart", "poststart", "poststop");
    }

    [RootFact]
    public void A_hook_gets_its_args_and_env()
    {
        var id = NewId();
        var hook = new JsonObject
        {
            ["path"] = "/bin/sh",
            ["args"] = new JsonArray("sh", "-c", $"echo \"$0 $1 $GREETING\" > {Log}", "zero", "one"),
            ["env"] = new JsonArray("GREETING=hello"),
        };
        RunOk(HookBundle(id, new JsonObject { ["createRuntime"] = new JsonArray(hook) }, "true"), id);
        File.ReadAllText(Log).Trim().Should().Be("zero one hello");
    }

    [RootTheory]
    [InlineData("prestart")]
    [InlineData("createRuntime")]
    [InlineData("createContainer")]
    public void A_failing_create_time_hook_fails_create_and_leaves_nothing(string kind)
    {
        var id = NewId();
        var bundle = HookBundle(id, new JsonObject { [kind] = new JsonArray(Failing("echo broken hook; exit 3")) }, "sleep", "100");
        var result = Detached("create", "--bundle", bundle.Write().Dir, id); // stdio to a file: a wrongly made container must not hold the test's pipes
        result.ExitCode.Should().Be(1);
        result.Stdout.Should().Contain($"hooks.{kind}[0]").And.Contain("exit status 3").And.Contain("broken hook");
        Directory.Exists(Path.Combine(Runtime.Root, id)).Should().BeFalse();
        CgroupDirs(id).Should().BeEmpty();
    }

    [RootFact]
    public void A_hook_that_does_not_exist_or_hangs_fails_create_naming_it()
    {
        var missing = NewId();
        var bundle = HookBundle(missing, new JsonObject { ["prestart"] = new JsonArray(new JsonObject { ["path"] = "/nonexistent/hook" }) }, "true");
        var result = Detached("create", "--bundle", bundle.Write().Dir, missing);
        result.Stdout.Should().Contain("hooks.prestart[0] (/nonexistent/hook)").And.Contain("No such file or directory");
        Directory.Exists(Path.Combine(Runtime.Root, missing)).Should().BeFalse();

        var hung = NewId();
        bundle = HookBundle(hung, new JsonObject { ["createRuntime"] = new JsonArray(Failing("sleep 30", timeout: 1)) }, "true");
        result = Detached("create", "--bundle", bundle.Write().Dir, hung);
        result.Stdout.Should().Contain("hooks.createRuntime[0]").And.Contain("timed out after 1 s");
        Directory.Exists(Path.Combine(Runtime.Root, hung)).Should().BeFalse();
        CgroupDirs(hung).Should().BeEmpty();
    }

    [RootFact]
    public void A_failing_start_container_hook_fails_start_with_its_reason_and_stops_the_container()
    {
        var id = NewId();
        CreateOk(HookBundle(id, new JsonObject { ["startContainer"] = new JsonArray(Failing("echo no start; exit 4")) }, "sleep", "100"), id);
        var result = Runtime.Run("start", id);
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("hooks.startContainer[0]").And.Contain("exit status 4").And.Contain("no start");
        WaitForStatus(id, "stopped");
    }

    [RootFact]
    public void Failing_poststart_and_poststop_hooks_are_warnings()
    {
        var id = NewId();
        var hooks = new JsonObject { ["poststart"] = new JsonArray(Failing("exit 5")), ["poststop"] = new JsonArray(Failing("exit 6")) };
        CreateOk(HookBundle(id, hooks, "sleep", "100"), id);
        var start = Runtime.Run("start", id);
        start.ExitCode.Should().Be(0);
        start.Stderr.Should().Contain("warning").And.Contain("hooks.poststart[0]");
        ((string?)State(id)["status"]).Should().Be("running");
        var delete = Runtime.Run("delete", "--force", id);
        delete.ExitCode.Should().Be(0);
        delete.Stderr.Should().Contain("warning").And.Contain("hooks.poststop[0]");
        Directory.Exists(Path.Combine(Runtime.Root, id)).Should().BeFalse();
    }
}
