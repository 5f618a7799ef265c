using System.Diagnostics;
using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

/// <summary>
/// Cgroups left in odd states (half-made, frozen) and the flags of the
/// container's mounts, cgroupfs and recursive options included.
/// </summary>
public sealed class CgroupHardeningTests : ContainerTest
{

    private static JsonObject Mount(string dest, string type, string source, params string[] options) =>
        new() { ["destination"] = dest, ["type"] = type, ["source"] = source, ["options"] = new JsonArray(options.Select(o => (JsonNode)o).ToArray()) };

    /// <summary>The host's v1 hierarchy of a controller; the test is skipped where there is none (a pure v2 host).</summary>
    private static CgroupHierarchy V1OrSkip(string controller)
    {
        var h = HostCgroups.V1(controller);
        Skip.If(h is null, $"needs a cgroup v1 {controller} hierarchy");
        return h;
    }

    /// <summary>mkdir of a cgroup below CgroupParent; the parent, if this makes it, gets its cpuset values at once so other tests can use it.</summary>
    private static string MakeCgroup(CgroupHierarchy hierarchy, string relative)
    {
        for (var attempt = 0; ; attempt++)
        {
            var parent = hierarchy.Dir($"/{CgroupParent}");
            try
            {
                Directory.CreateDirectory(parent);
                if (hierarchy.Controllers.Contains("cpuset"))
                    foreach (var file in new[] { "cpuset.cpus", "cpuset.mems" })
                        if (File.ReadAllText(Path.Combine(parent, file)).Trim().Length == 0)
                            File.WriteAllText(Path.Combine(parent, file), File.ReadAllText(Path.Combine(hierarchy.Dir("/"), file)).Trim());
                var dir = Path.Combine(parent, relative);
                Directory.CreateDirectory(dir);
                return dir;
            }
            catch (IOException) when (attempt < 20)
            {
                Thread.Sleep(20); // another test removed the parent it found empty
            }
        }
    }

    private static void Rmdir(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir); } catch (IOException) { }
    }

    [RootFact]
    public void A_half_made_cpuset_cgroup_is_completed_and_the_container_runs()
    {
        var id = NewId();
        var dir = MakeCgroup(V1OrSkip("cpuset"), id); // as a create killed between mkdir and the writes leaves it
        try
        {
            File.ReadAllText(Path.Combine(dir, "cpuset.cpus")).Trim().Should().BeEmpty();
            var output = RunOk(NewBundle(id, "sh", "-c", "cat /proc/self/cgroup"), id);
            output.Should().Contain(":cpuset:/");
        }
        finally
        {
            Rmdir(dir);
        }
    }

    [RootFact]
    public void A_frozen_cgroup_is_refused_at_once_and_nothing_is_left()
    {
        var id = NewId();
        var dir = MakeCgroup(V1OrSkip("freezer"), id);
        try
        {
            File.WriteAllText(Path.Combine(dir, "freezer.state"), "FROZEN");
            var result = CreateQuickly(NewBundle(id, "true").Write(), id);
            ShouldFailNaming(result, id, "linux.cgroupsPath", dir, "frozen");
            Directory.Exists(dir).Should().BeTrue("the cgroup was there before: it is not the runtime's to remove");
            CgroupDirs(id).Should().Equal([dir], "nothing is made in the other hierarchies");
        }
        finally
        {
            File.WriteAllText(Path.Combine(dir, "freezer.state"), "THAWED");
            Rmdir(dir);
        }
    }

    [RootFact]
    public void A_cgroup_below_a_frozen_one_is_refused_naming_the_frozen_ancestor()
    {
        var id = NewId();
        var dir = MakeCgroup(V1OrSkip("freezer"), id);
        try
        {
            File.WriteAllText(Path.Combine(dir, "freezer.state"), "FROZEN");
            var bundle = NewBundle(id, "true");
            bundle.Linux["cgroupsPath"] = $"/{CgroupParent}/{id}/inner";
            var result = CreateQuickly(bundle.Write(), id);
            ShouldFailNaming(result, id, "linux.cgroupsPath", $"ancestor {dir} is frozen");
            Directory.Exists(Path.Combine(dir, "inner")).Should().BeFalse();
        }
        finally
        {
            File.WriteAllText(Path.Combine(dir, "freezer.state"), "THAWED");
            foreach (var h in HostCgroups.Hierarchies)
                Rmdir(h.Dir($"/{CgroupParent}/{id}/inner"));
            Rmdir(dir);
        }
    }

    // A create that would hang on the frozen cgroup must fail well before the default timeout.
    private RunResult CreateQuickly(Bundle bundle, string id)
    {
        var clock = Stopwatch.StartNew();
        var result = Runtime.Exec(["--root", Runtime.Root, "create", "--bundle", bundle.Dir, id], timeoutSeconds: 20);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        return result;
    }

    private void ShouldFailNaming(RunResult result, string id, params string[] mentions)
    {
        result.ExitCode.Should().Be(1, result.ToString());
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(1, result.ToString());
        foreach (var m in mentions) lines[0].Should().Contain(m);
        Directory.Exists(Path.Combine(Runtime.Root, id)).Should().BeFalse("a refused create leaves no state");
    }

    [RootFact]
    public void Every_mount_of_the_cgroupfs_has_the_flags_the_config_asks_for()
    {
        // runc's default: nosuid, noexec, nodev, relatime, ro. The host's own cgroup mounts here have
        // none of the first three, so the binds below /sys/fs/cgroup must get them, not inherit.
        var id = NewId();
        var lines = RunOk(NewBundle(id, "cat", "/proc/self/mountinfo"), id).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var cgroupMounts = lines.Where(l => l.Split(' ')[4] is var mp && (mp == "/sys/fs/cgroup" || mp.StartsWith("/sys/fs/cgroup/"))).ToList();
        cgroupMounts.Should().Contain(l => l.Split(' ')[4] == "/sys/fs/cgroup");
        if (HostCgroups.HasV1) cgroupMounts.Should().HaveCountGreaterThan(1, "each v1 hierarchy is bound below /sys/fs/cgroup");
        foreach (var line in cgroupMounts)
            line.Split(' ')[5].Split(',').Should().Contain(["ro", "nosuid", "nodev", "noexec", "relatime"], line);
    }

    /// <summary>A host directory with a tmpfs mounted below it (at sub), holding a copy of busybox.</summary>
    private string HostTreeWithSubmount(string name)
    {
        var top = Directory.CreateDirectory(Path.Combine(Work, name)).FullName;
        Directory.CreateDirectory(Path.Combine(top, "sub"));
        Runtime.Shell($"mount -t tmpfs -o size=8m tmpfs '{top}/sub' && cp /bin/busybox '{top}/sub/' && cp /bin/busybox '{top}/'")
            .ExitCode.Should().Be(0);
        return top;
    }

    [RootFact]
    public void Rro_makes_a_bind_and_every_mount_below_it_read_only()
    {
        var id = NewId();
        var top = HostTreeWithSubmount("rro-src");
        try
        {
            var bundle = NewBundle(id, "sh", "-c", "touch /data/f 2>&1; touch /data/sub/f 2>&1; grep ' /data' /proc/self/mountinfo");
            bundle.Mounts.Add(Mount("/data", "bind", top, "rbind", "rro"));
            var output = RunOk(bundle, id).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            output[0].Should().Contain("Read-only file system");
            output[1].Should().Contain("Read-only file system", "the submount is read-only too");
            output.Should().Contain(l => l.Split(' ')[4] == "/data" && l.Split(' ')[5].StartsWith("ro"));
            output.Should().Contain(l => l.Split(' ')[4] == "/data/sub" && l.Split(' ')[5].StartsWith("ro"));
            File.WriteAllText(Path.Combine(top, "sub", "host-writes"), "the host's mounts are untouched");
        }
        finally
        {
            Runtime.Shell($"umount '{top}/sub'");
        }
    }

    [RootFact]
    public void Rnoexec_forbids_running_programs_from_a_bind_and_its_submounts()
    {
        var id = NewId();
        var top = HostTreeWithSubmount("rnoexec-src");
        try
        {
            var bundle = NewBundle(id, "sh", "-c", "/data/busybox true; echo $?; /data/sub/busybox true; echo $?; grep ' /data' /proc/self/mountinfo");
            bundle.Mounts.Add(Mount("/data", "bind", top, "rbind", "rnoexec"));
            var output = RunOk(bundle, id).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.Contains("Permission denied")).ToList();
            output[0].Should().Be("126", "exec from a noexec mount fails");
            output[1].Should().Be("126", "the submount is noexec too");
            output.Skip(2).Should().HaveCount(2).And.OnlyContain(l => l.Split(' ')[5].Split(',').Contains("noexec"));
        }
        finally
        {
            Runtime.Shell($"umount '{top}/sub'");
        }
    }
}
