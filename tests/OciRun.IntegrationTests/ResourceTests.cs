using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

/// <summary>linux.resources as the container feels it: a memory hog is killed, a fork fails, a live update bites.</summary>
public sealed class ResourceTests : ContainerTest
{
    // Allocates 24 MiB in the shell itself: a 24 MiB string of 'a' (kept small: busybox builds it slowly).
    private const string Hog = "x=$(head -c 25165824 /dev/zero | tr '\\0' a); echo allocated ${#x}";

    private static JsonObject Mount(string dest, string source) =>
        new() { ["destination"] = dest, ["type"] = "bind", ["source"] = source, ["options"] = new JsonArray("rbind", "rw") };

    private Bundle WithResources(string id, string resources, params string[] args)
    {
        var bundle = NewBundle(id, args);
        var devices = bundle.Linux["resources"]?["devices"]?.DeepClone();
        var parsed = JsonNode.Parse(resources)!.AsObject();
        if (devices is not null) parsed["devices"] = devices;
        bundle.Linux["resources"] = parsed;
        return bundle;
    }

    [RootFact]
    public void A_memory_hog_is_killed_at_its_limit_and_runs_without_one()
    {
        var id = NewId();
        // Swap as large as memory: none, so the hog cannot page out.
        var limited = RunContainer(WithResources(id, """{ "memory": { "limit": 16777216, "swap": 16777216 } }""", "sh", "-c", Hog), id);
        limited.ExitCode.Should().Be(137, $"the OOM killer SIGKILLs the shell at 16 MiB\n{limited}");
        limited.Stdout.Should().NotContain("allocated");

        var free = NewId();
        RunOk(WithResources(free, """{ "memory": { "limit": 268435456 } }""", "sh", "-c", Hog), free).Should().Contain("allocated 25165824");
        CgroupDirs(id).Should().BeEmpty();
    }

    [RootFact]
    public void A_fork_bomb_stops_at_the_pids_limit()
    {
        var id = NewId();
        var result = RunContainer(WithResources(id, """{ "pids": { "limit": 8 } }""", "sh", "-c",
            "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do sleep 30 & done; echo all forked"), id);
        result.ExitCode.Should().NotBe(0, result.ToString());
        (result.Stdout + result.Stderr).Should().Contain("can't fork").And.NotContain("all forked");
    }

    [RootFact]
    public void Engine_zeros_set_no_limit()
    {
        var id = NewId();
        // Docker 20.10's blocks on every container, podman's pids limit 0, and every other zero runc ignores.
        var bundle = WithResources(id, """
            { "memory": { "limit": 0, "reservation": 0, "swap": 0, "kernel": 0, "kernelTCP": 0, "disableOOMKiller": false },
              "cpu": { "shares": 0, "quota": 0, "period": 0, "realtimeRuntime": 0, "realtimePeriod": 0, "cpus": "", "mems": "" },
              "pids": { "limit": 0 }, "blockIO": { "weight": 0, "leafWeight": 0 }, "network": { "classID": 0 } }
            """, "sh", "-c", Hog + "; for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do sleep 1 & done; wait; echo forked");
        RunOk(bundle, id).Should().Contain("allocated 25165824").And.Contain("forked");
    }

    [RootFact]
    public void Update_changes_live_limits_that_the_container_then_feels()
    {
        var shared = Directory.CreateDirectory(Path.Combine(Work, "shared")).FullName;
        var id = NewId();
        var bundle = WithResources(id, """{ "pids": { "limit": 100 }, "memory": { "limit": 268435456 } }""", "sh", "-c",
            "exec >/data/log 2>&1; while [ ! -e /data/go ]; do sleep 0.05; done; " +
            "for i in 1 2 3 4 5 6 7 8 9 10; do sleep 30 & done; echo all forked");
        bundle.Mounts.Add(Mount("/data", shared));
        RunDetachedOk(bundle, id);

        var update = Runtime.Run("update", "--pids-limit", "5", "--memory", "128m", id);
        update.ExitCode.Should().Be(0, update.ToString());
        File.WriteAllText(Path.Combine(shared, "go"), "");
        WaitForStatus(id, "stopped");
        File.ReadAllText(Path.Combine(shared, "log")).Should().Contain("can't fork").And.NotContain("all forked");
    }

    [RootFact]
    public void Update_from_a_resources_json_on_stdin_as_engines_send_it()
    {
        var shared = Directory.CreateDirectory(Path.Combine(Work, "shared")).FullName;
        var id = NewId();
        var bundle = WithResources(id, """{ "memory": { "limit": 268435456 } }""", "sh", "-c",
            "exec >/data/log 2>&1; while [ ! -e /data/go ]; do sleep 0.05; done; " + Hog);
        bundle.Mounts.Add(Mount("/data", shared));
        RunDetachedOk(bundle, id);

        var update = Runtime.Exec(["--root", Runtime.Root, "update", "-r", "-", id], stdin: """{ "memory": { "limit": 16777216, "swap": 16777216 }, "cpu": { "shares": 0 } }""");
        update.ExitCode.Should().Be(0, update.ToString());
        File.WriteAllText(Path.Combine(shared, "go"), "");
        WaitForStatus(id, "stopped");
        File.ReadAllText(Path.Combine(shared, "log")).Should().NotContain("allocated", "the hog is killed at the new 16 MiB limit");
    }

    [RootFact]
    public void A_failed_update_keeps_the_previous_limits()
    {
        var shared = Directory.CreateDirectory(Path.Combine(Work, "shared")).FullName;
        var id = NewId();
        var bundle = WithResources(id, """{ "pids": { "limit": 100 } }""", "sh", "-c",
            "exec >/data/log 2>&1; while [ ! -e /data/go ]; do sleep 0.05; done; " +
            "for i in 1 2 3 4 5 6 7 8 9 10; do sleep 30 & done; echo all forked");
        bundle.Mounts.Add(Mount("/data", shared));
        RunDetachedOk(bundle, id);

        // The pids limit is written first, then the memory limit fails (far below what the shell uses).
        var update = Runtime.Exec(["--root", Runtime.Root, "update", "-r", "-", id], stdin: """{ "pids": { "limit": 2 }, "memory": { "limit": 4096 } }""");
        update.ExitCode.Should().Be(1);
        update.Stderr.Should().Contain("linux.resources.memory.limit").And.Contain("the previous limits are back");
        File.WriteAllText(Path.Combine(shared, "go"), "");
        WaitForOutput(Path.Combine(shared, "log"), "all forked");
    }

    [RootFact]
    public void Update_refuses_a_stopped_or_unknown_container_and_bad_values()
    {
        var id = NewId();
        RunDetachedOk(NewBundle(id, "true"), id);
        WaitForStatus(id, "stopped");
        Runtime.Run("update", "--pids-limit", "5", id).Stderr.Should().Contain("container not running");
        Runtime.Run("update", "--pids-limit", "5", "nope").Stderr.Should().Contain("container \"nope\" does not exist");
        Runtime.Run("update", "--memory", "12q", id).Stderr.Should().Contain("invalid value for memory");
        var bad = Runtime.Exec(["--root", Runtime.Root, "update", "-r", "-", id], stdin: """{ "pids": { "limit": "many" } }""");
        bad.ExitCode.Should().Be(1);
        bad.Stderr.Should().Contain("standard input: pids.limit");
    }

    [RootFact]
    public void A_limit_the_host_cannot_give_fails_create_naming_the_field_and_leaves_nothing()
    {
        var id = NewId();
        var bundle = WithResources(id, """{ "pids": { "limit": 10 }, "hugepageLimits": [{ "pageSize": "3MB", "limit": 1048576 }] }""", "true");
        var result = Detached("create", "--bundle", bundle.Write().Dir, id);
        result.ExitCode.Should().Be(1);
        result.Stdout.Should().Contain("linux.resources.hugepageLimits[0]");
        Directory.Exists(Path.Combine(Runtime.Root, id)).Should().BeFalse();
        CgroupDirs(id).Should().BeEmpty("a failed create removes the cgroup it made, in every hierarchy");
    }

    [RootFact]
    public void On_a_hybrid_host_a_controller_bound_to_cgroup_v2_limits_the_container_there()
    {
        // This host kind binds hugetlb to the unified hierarchy and the rest to v1 (runc 1.1.5 fails here).
        var unified = HostCgroups.Hierarchies.FirstOrDefault(h => h.IsV2);
        Skip.If(unified is null || HostCgroups.V1("hugetlb") is not null || !HostCgroups.HasV1, "needs a hybrid host with hugetlb bound to cgroup v2");
        var rootControllers = File.ReadAllText(Path.Combine(unified.MountPoint, "cgroup.controllers")).Split(' ', '\n');
        Skip.If(!rootControllers.Contains("hugetlb") || !File.Exists("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"), "needs 2 MB huge pages in the unified hierarchy");
        var subtree = Path.Combine(unified.MountPoint, "cgroup.subtree_control");
        var wasEnabled = File.ReadAllText(subtree).Split(' ', '\n').Contains("hugetlb");
        try
        {
            var id = NewId();
            var bundle = WithResources(id, """{ "hugepageLimits": [{ "pageSize": "2MB", "limit": 4194304 }] }""", "cat", "/sys/fs/cgroup/unified/hugetlb.2MB.max");
            RunOk(bundle, id).Trim().Should().Be("4194304", "the container's own unified cgroup holds the limit");
        }
        finally
        {
            // The runtime enabled the controller from the root of the host's unified tree down: put the root
            // back as it was, after the test's parent cgroup below it (the kernel refuses while a child has it).
            if (!wasEnabled)
                foreach (var file in new[] { Path.Combine(unified.MountPoint, CgroupParent, "cgroup.subtree_control"), subtree })
                    Runtime.Shell($"[ -e '{file}' ] && echo -hugetlb > '{file}'");
        }
    }

    private static void WaitForOutput(string file, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(File.Exists(file) && File.ReadAllText(file).Contains(text)))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{file} never said \"{text}\": {(File.Exists(file) ? File.ReadAllText(file) : "(no file)")}");
            Thread.Sleep(20);
        }
    }
}
