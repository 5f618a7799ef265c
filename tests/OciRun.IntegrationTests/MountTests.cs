using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

/// <summary>The container's filesystem as it sees it in /proc/self/mountinfo and by using it.</summary>
public sealed class MountTests : ContainerTest
{
    private static JsonObject Mount(string dest, string type, string source, params string[] options) =>
        new() { ["destination"] = dest, ["type"] = type, ["source"] = source, ["options"] = new JsonArray(options.Select(o => (JsonNode)o).ToArray()) };

    /// <summary>mount point -> (fs type, per-mount options, super options) from the container's mountinfo.</summary>
    private static Dictionary<string, (string Type, string Options, string Super)> MountInfo(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => (Fields: l.Split(" - ")[0].Split(' '), Tail: l.Split(" - ")[1].Split(' ')))
            .GroupBy(m => m.Fields[4])
            .ToDictionary(g => g.Key, g => (g.Last().Tail[0], g.Last().Fields[5], g.Last().Tail[2]));

    /// <summary>
    /// tmpcopyup, as podman's --read-only and --tmpfs send it: the tmpfs starts with a copy of what
    /// the directory it covers held (files with their owner and mode, directories, symlinks as
    /// symlinks), the container writes to the tmpfs only, and the directory below is untouched.
    /// The same bundle runs with runc where it is installed and must print the same.
    /// </summary>
    [RootFact]
    public void A_tmpfs_with_tmpcopyup_starts_with_what_the_directory_held()
    {
        var data = Directory.CreateDirectory(Path.Combine(Work, "copyup")).FullName;
        Directory.CreateDirectory(Path.Combine(data, "sub"));
        File.WriteAllText(Path.Combine(data, "sub", "secret"), "kept\n");
        Runtime.Shell($"chmod 604 '{data}/sub/secret' && chown 1000:1000 '{data}/sub/secret' && ln -s ../../../../etc/hostname '{data}/link'").ExitCode.Should().Be(0);
        const string Script = "stat -c '%A %u %g' /data/sub/secret; cat /data/sub/secret; readlink /data/link; " +
            "echo new > /data/new && cat /data/new; grep ' /data ' /proc/mounts | tail -1 | cut -d' ' -f3,4 | cut -d, -f1";
        Bundle Make(string id)
        {
            var bundle = NewBundle(id, "sh", "-c", Script);
            bundle.Mounts.Add(Mount("/data", "bind", data, "rbind", "ro"));
            bundle.Mounts.Add(Mount("/data", "tmpfs", "tmpfs", "nosuid", "tmpcopyup", "mode=755"));
            return bundle;
        }

        var id = NewId();
        var output = RunOk(Make(id), id);

        output.Should().Be("-rw----r-- 1000 1000\nkept\n../../../../etc/hostname\nnew\ntmpfs rw\n");
        File.Exists(Path.Combine(data, "new")).Should().BeFalse("the directory below the tmpfs is untouched");
        var runc = new[] { "/usr/sbin/runc", "/usr/bin/runc" }.FirstOrDefault(File.Exists);
        if (runc is null) return;
        var runcId = NewId("runc");
        var bundleDir = Make(runcId).Write().Dir;
        var theirs = Runtime.Shell($"cd '{bundleDir}' && '{runc}' --root '{Work}/runc-root' run '{runcId}' </dev/null; '{runc}' --root '{Work}/runc-root' delete -f '{runcId}' 2>/dev/null");
        theirs.Stdout.Should().Be(output, "runc copies the same");
    }

    [RootFact]
    public void The_default_mounts_are_there_with_their_options()
    {
        var id = NewId();
        var mounts = MountInfo(RunOk(NewBundle(id, "cat", "/proc/self/mountinfo"), id));
        mounts["/"].Options.Should().StartWith("ro");
        mounts["/proc"].Type.Should().Be("proc");
        mounts["/dev"].Type.Should().Be("tmpfs");
        mounts["/dev"].Options.Should().Contain("nosuid");
        mounts["/dev/pts"].Type.Should().Be("devpts");
        mounts["/dev/shm"].Options.Should().Contain("nodev").And.Contain("noexec");
        mounts["/dev/mqueue"].Type.Should().Be("mqueue");
        mounts["/sys"].Type.Should().Be("sysfs");
        mounts["/sys"].Options.Should().StartWith("ro");
        mounts.Keys.Should().Contain("/sys/fs/cgroup");
        if (HostCgroups.HasV1) mounts.Keys.Should().Contain(k => k.StartsWith("/sys/fs/cgroup/"), "each v1 hierarchy is bound below it");
        mounts.Where(m => m.Key.StartsWith("/sys/fs/cgroup")).Should()
            .OnlyContain(m => m.Value.Options.StartsWith("ro"), "the config mounts cgroupfs read-only, every hierarchy included");
        mounts["/proc/sys"].Options.Should().StartWith("ro", "readonlyPaths makes /proc/sys read-only");
        foreach (var masked in new[] { "/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug" }.Where(Path.Exists))
            mounts.Should().ContainKey(masked, "maskedPaths covers what exists");
    }

    [RootFact]
    public void A_read_only_rootfs_refuses_writes_and_a_tmpfs_mount_takes_them()
    {
        var id = NewId();
        var bundle = NewBundle(id, "sh", "-c", "touch /x 2>&1; echo hi > /scratch/f && cat /scratch/f; grep ' /scratch ' /proc/self/mountinfo");
        bundle.Mounts.Add(Mount("/scratch", "tmpfs", "tmpfs", "size=1m", "nosuid", "mode=700"));
        var output = RunOk(bundle, id).Split('\n');
        output[0].Should().Contain("Read-only file system");
        output[1].Should().Be("hi");
        output[2].Should().Contain("tmpfs").And.Contain("nosuid").And.Contain("size=1024k").And.Contain("mode=700");
    }

    [RootFact]
    public void A_read_only_bind_mount_shows_host_content_and_refuses_writes()
    {
        var id = NewId();
        var host = Directory.CreateDirectory(Path.Combine(Work, "hostdir")).FullName;
        File.WriteAllText(Path.Combine(host, "greeting"), "from the host");
        var bundle = NewBundle(id, "sh", "-c", "cat /data/greeting; echo; touch /data/new 2>&1; true");
        bundle.Mounts.Add(Mount("/data", "bind", host, "rbind", "ro"));
        var output = RunOk(bundle, id).Split('\n');
        output[0].Should().Be("from the host");
        output[1].Should().Contain("Read-only file system");
        File.Exists(Path.Combine(host, "new")).Should().BeFalse();
    }

    [RootFact]
    public void A_relative_bind_source_is_relative_to_the_bundle()
    {
        var id = NewId();
        var bundle = NewBundle(id, "cat", "/data/greeting"); // the rootfs is elsewhere: an absolute root.path
        Directory.CreateDirectory(Path.Combine(bundle.Dir, "hostdata"));
        File.WriteAllText(Path.Combine(bundle.Dir, "hostdata", "greeting"), "from the bundle");
        bundle.Mounts.Add(Mount("/data", "bind", "hostdata", "rbind", "ro"));
        RunOk(bundle, id).Should().Be("from the bundle");
    }

    [RootFact]
    public void A_bind_remount_drops_the_source_flags_the_config_clears()
    {
        // The source is a nosuid,noexec tmpfs of the test's own; "suid" must lift nosuid, while "ro" is added.
        var id = NewId();
        var source = Directory.CreateDirectory(Path.Combine(Work, "nosuid-src")).FullName;
        Runtime.Shell($"mount -t tmpfs -o nosuid,noexec tmpfs {source}").ExitCode.Should().Be(0);
        try
        {
            var bundle = NewBundle(id, "sh", "-c", "grep ' /data ' /proc/self/mountinfo");
            bundle.Mounts.Add(Mount("/data", "bind", source, "bind", "ro", "suid"));
            var line = RunOk(bundle, id);
            var options = line.Split(' ')[5].Split(',');
            options.Should().Contain("ro").And.Contain("noexec").And.NotContain("nosuid");
        }
        finally
        {
            Runtime.Shell($"umount {source}");
        }
    }

    [RootFact]
    public void A_writable_bind_mount_of_a_file_reaches_the_host()
    {
        var id = NewId();
        var file = Path.Combine(Work, "hostfile");
        File.WriteAllText(file, "");
        var bundle = NewBundle(id, "sh", "-c", "echo written > /etc/shared");
        bundle.Mounts.Add(Mount("/etc/shared", "bind", file, "bind"));
        RunOk(bundle, id);
        File.ReadAllText(file).Should().Be("written\n");
    }

    [RootFact]
    public void A_symlink_in_the_rootfs_cannot_send_a_mount_outside_it()
    {
        var id = NewId();
        var rootfs = Path.Combine(Work, "rootfs-link");
        Runtime.Shell($"mkdir -p {rootfs}/proc {rootfs}/dev {rootfs}/sys && cp -a /bin/busybox {rootfs}/ && ln -s /bin/busybox {rootfs}/sh && ln -s ../../../../../../tmp/escape-{id} {rootfs}/evil");
        var bundle = NewBundle(id, "/busybox", "true");
        bundle.Config["root"]!["path"] = rootfs;
        bundle.Config["root"]!["readonly"] = false;
        bundle.Mounts.Add(Mount("/evil", "tmpfs", "tmpfs"));
        // Whether the runtime refuses the dangling link or mounts inside the rootfs, the host is untouched.
        var result = RunContainer(bundle, id);
        Directory.Exists($"/tmp/escape-{id}").Should().BeFalse($"nothing may be created on the host ({result})");
        File.ReadAllText("/proc/self/mountinfo").Should().NotContain($"escape-{id}");
    }

    [RootFact]
    public void No_pivot_runs_the_container_too()
    {
        var id = NewId();
        var bundle = NewBundle(id, "sh", "-c", "cat /proc/1/cmdline | tr '\\0' ' '; ls /bin/busybox").Write();
        var result = Runtime.Run("run", "--no-pivot", "--bundle", bundle.Dir, id);
        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain("/bin/busybox");
    }
}
