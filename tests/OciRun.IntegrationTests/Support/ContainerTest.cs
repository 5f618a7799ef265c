namespace OciRun.IntegrationTests.Support;

/// <summary>
/// Base of the integration tests: a private --root and work directory per
/// test, and cleanup that deletes every container, cgroup and directory the
/// test made, whether it passed or not.
/// </summary>
public abstract class ContainerTest : IDisposable
{
    public const string CgroupParent = "oci-run-test";

    private readonly List<string> _ids = [];
    private int _bundles;

    protected string Work { get; } = Directory.CreateTempSubdirectory("ocirun-test-").FullName;
    protected Runtime Runtime { get; }

    protected ContainerTest() => Runtime = new Runtime(Path.Combine(Work, "root"));

    protected string NewId(string prefix = "c")
    {
        var id = $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";
        _ids.Add(id);
        return id;
    }

    /// <summary>A bundle whose cgroup is /oci-run-test/ID in every hierarchy.</summary>
    protected Bundle NewBundle(string id, params string[] args)
    {
        var bundle = new Bundle(Path.Combine(Work, $"bundle{_bundles++}"), args);
        bundle.Linux["cgroupsPath"] = $"/{CgroupParent}/{id}";
        return bundle;
    }

    /// <summary>`run` of a bundle: the container's stdout, stderr and exit status.</summary>
    protected RunResult RunContainer(Bundle bundle, string id) => Runtime.Run("run", "--bundle", bundle.Write().Dir, id);

    protected string RunOk(Bundle bundle, string id)
    {
        var result = RunContainer(bundle, id);
        result.ExitCode.Should().Be(0, result.ToString());
        return result.Stdout;
    }

    /// <summary>
    /// A command that leaves a container behind (create, run --detach): the
    /// container keeps the caller's stdio, so it gets a file, not the test's pipes.
    /// The runtime's own messages land in the same file.
    /// </summary>
    protected RunResult Detached(params string[] args)
    {
        var output = Path.Combine(Work, $"stdio-{Guid.NewGuid():N}");
        var quoted = string.Join(' ', args.Select(a => $"'{a}'"));
        var result = Runtime.Shell($"exec {Runtime.Binary} --root '{Runtime.Root}' {quoted} </dev/null >'{output}' 2>&1");
        return result with { Stdout = File.ReadAllText(output) };
    }

    protected void CreateOk(Bundle bundle, string id) =>
        Detached("create", "--bundle", bundle.Write().Dir, id).ExitCode.Should().Be(0);

    protected void RunDetachedOk(Bundle bundle, string id) =>
        Detached("run", "--detach", "--bundle", bundle.Write().Dir, id).ExitCode.Should().Be(0);

    protected JsonObject State(string id)
    {
        var result = Runtime.Run("state", id);
        result.ExitCode.Should().Be(0, result.ToString());
        return JsonNode.Parse(result.Stdout)!.AsObject();
    }

    protected void WaitForStatus(string id, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((string?)State(id)["status"] != status)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{id} never became {status}");
            Thread.Sleep(10);
        }
    }

    /// <summary>Waits until the container's cgroup holds `count` processes, and returns their PIDs.</summary>
    protected static List<int> WaitForProcesses(string id, int count)
    {
        var procs = Path.Combine(HostCgroups.Any.Dir($"/{CgroupParent}/{id}"), "cgroup.procs");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (File.ReadAllLines(procs).Length < count && DateTime.UtcNow < deadline) Thread.Sleep(10);
        var pids = File.ReadAllLines(procs).Select(int.Parse).Order().ToList();
        pids.Should().HaveCount(count);
        return pids;
    }

    /// <summary>True when the process is gone or only a zombie waiting for a parent that is not us.</summary>
    protected static bool IsGone(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1][0] is 'Z' or 'X'; }
        catch (IOException) { return true; }
    }

    /// <summary>Bad input: exit status 1, one line on stderr naming what is wrong, no state directory and no cgroup left.</summary>
    protected void ShouldFailCleanly(RunResult result, string id, params string[] mentions)
    {
        result.ExitCode.Should().Be(1, result.ToString());
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(1, $"one line, no stack trace: {result}");
        foreach (var m in mentions) lines[0].Should().Contain(m);
        Directory.Exists(Path.Combine(Runtime.Root, id)).Should().BeFalse("a failed command leaves no state behind");
        CgroupDirs(id).Should().BeEmpty("a failed command leaves no cgroup behind");
    }

    /// <summary>Host directories of a container's cgroup that exist now, in every hierarchy the host mounts.</summary>
    protected static List<string> CgroupDirs(string id) => HostCgroups.ExistingDirs($"/{CgroupParent}/{id}");

    public void Dispose()
    {
        foreach (var id in _ids)
        {
            try { Runtime.Run("delete", "--force", id); } catch (TimeoutException) { }
            foreach (var dir in CgroupDirs(id))
                try { Directory.Delete(dir); } catch (IOException) { }
        }
        foreach (var parent in HostCgroups.ExistingDirs($"/{CgroupParent}"))
            try { Directory.Delete(parent); } catch (IOException) { /* another test's cgroup is still inside */ }
        try { Directory.Delete(Work, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}
