using System.Diagnostics;
using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

/// <summary>
/// What an attacker, a careless user or a crashing engine tried against the
/// runtime: each test is one way it went wrong once.
/// </summary>
public sealed class HardeningTests : ContainerTest
{
    private static void AddCapabilities(Bundle bundle, params string[] names)
    {
        var caps = bundle.Process["capabilities"]!.AsObject();
        foreach (var set in new[] { "bounding", "effective", "permitted" })
            foreach (var name in names)
                caps[set]!.AsArray().Add(name);
    }

    [RootFact]
    public void A_sibling_in_the_pid_namespace_of_a_created_container_reaches_nothing_of_the_host_through_its_init()
    {
        // A pod with a shared PID namespace: container B, with CAP_SYS_PTRACE, walks
        // /proc/1/fd/* of A's init while A waits for start, looking for a host file.
        var marker = Path.Combine(Work, "host-marker");
        File.WriteAllText(marker, "HOST-SECRET");
        var a = NewId("a");
        CreateOk(NewBundle(a, "true"), a);
        var initPid = (int)State(a)["pid"]!;

        var b = NewId("b");
        var bundle = NewBundle(b, "sh", "-c",
            $"for f in /proc/1/fd/* /proc/1/root /proc/1/cwd; do echo \"$f -> $(readlink $f)\"; " +
            $"for r in $f/*/root $f; do cat \"$r{marker}\" 2>/dev/null; done; done; echo walked");
        foreach (var ns in bundle.Linux["namespaces"]!.AsArray())
            if ((string?)ns!["type"] == "pid") ns["path"] = $"/proc/{initPid}/ns/pid";
        AddCapabilities(bundle, "CAP_SYS_PTRACE");
        var output = RunOk(bundle, b);

        output.Should().Contain("exec.fifo", "B can read the fds of A's init: the attack path is open");
        output.Should().Contain("walked");
        output.Should().NotContain("HOST-SECRET", "nothing init holds while it waits may lead to the host's files");
    }

    [RootFact]
    public void A_faked_cap_last_cap_in_the_container_does_not_keep_capabilities_in_the_bounding_set()
    {
        // The container's /proc says the kernel knows only capability 0: init must not believe it.
        var id = NewId();
        var fake = Path.Combine(Work, "cap_last_cap");
        File.WriteAllText(fake, "0\n");
        var bundle = NewBundle(id, "sh", "-c", "grep CapBnd /proc/self/status");
        bundle.Mounts.Add(new JsonObject
        {
            ["destination"] = "/proc/sys/kernel/cap_last_cap", ["type"] = "bind", ["source"] = fake, ["options"] = new JsonArray("bind", "ro"),
        });
        // CAP_AUDIT_WRITE, CAP_KILL and CAP_NET_BIND_SERVICE: bits 29, 5 and 10.
        RunOk(bundle, id).Trim().Should().EndWith("0000000020000420");
    }

    [RootFact]
    public void A_rootfs_whose_proc_is_a_symlink_is_refused()
    {
        var id = NewId();
        var rootfs = MinimalRootfs.Make(Path.Combine(Work, "symlinked-proc"));
        Directory.CreateDirectory(Path.Combine(rootfs, "elsewhere"));
        Directory.Delete(Path.Combine(rootfs, "proc"));
        File.CreateSymbolicLink(Path.Combine(rootfs, "proc"), "elsewhere");
        var bundle = NewBundle(id, "true");
        bundle.Config["root"] = new JsonObject { ["path"] = rootfs };
        var result = RunContainer(bundle, id);
        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("/proc").And.Contain("ordinary directory");
        Directory.EnumerateFileSystemEntries(Path.Combine(rootfs, "elsewhere")).Should().BeEmpty();
        Directory.Exists(Path.Combine(Runtime.Root, id)).Should().BeFalse();
        CgroupDirs(id).Should().BeEmpty();
    }

    [RootFact]
    public void Delete_force_racing_create_of_the_same_id_crashes_nothing_and_leaves_nothing()
    {
        // containerd's shim deletes a container whose create timed out, while the create still runs.
        var random = new Random(7);
        for (var round = 0; round < 50; round++)
        {
            var id = NewId("race");
            var bundle = NewBundle(id, "sleep", "10").Write();
            var create = Task.Run(() => Detached("create", "--bundle", bundle.Dir, id));
            Thread.Sleep(random.Next(0, 12));
            var delete = Task.Run(() => Runtime.Run("delete", "--force", id));
            ShouldEndCleanly(create.Result, "create");
            ShouldEndCleanly(delete.Result, "delete", "does not exist");

            // Whoever won, one more delete leaves nothing.
            var last = Runtime.Run("delete", "--force", id);
            (last.ExitCode == 0 || last.Stderr.Contains("does not exist")).Should().BeTrue(last.ToString());
            ShouldHaveLeftNothing(id);
        }
    }

    [RootFact]
    public void Sigkill_of_create_at_any_point_is_cleared_by_delete_force_and_the_id_can_be_created_again()
    {
        foreach (var delay in new[] { 0, 1, 2, 3, 4, 5, 6, 8, 10, 13, 17, 25, 40 })
        {
            var id = NewId("killed");
            var bundle = NewBundle(id, "sleep", "10").Write();
            var stdio = Path.Combine(Work, $"stdio-{id}");
            using (var create = Process.Start("/bin/sh", ["-c", $"exec {Runtime.Binary} --root '{Runtime.Root}' create --bundle '{bundle.Dir}' {id} </dev/null >'{stdio}' 2>&1"]))
            {
                Thread.Sleep(delay);
                try { create.Kill(); } catch (InvalidOperationException) { /* it finished first */ }
                create.WaitForExit();
            }
            Runtime.Run("list").ExitCode.Should().Be(0, "a half-made container does not break list");
            var delete = Runtime.Run("delete", "--force", id);
            (delete.ExitCode == 0 || delete.Stderr.Contains("does not exist")).Should().BeTrue($"after {delay} ms: {delete}");
            ShouldHaveLeftNothing(id);

            CreateOk(bundle, id);
            ((string?)State(id)["status"]).Should().Be("created");
            Runtime.Run("delete", "--force", id).ExitCode.Should().Be(0);
            ShouldHaveLeftNothing(id);
        }
    }

    [RootFact]
    public void State_shows_a_container_whose_create_was_killed_as_creating_then_stopped_until_delete_clears_it()
    {
        // A create is stopped (SIGSTOP: it keeps its lock) once its first record is written, then killed.
        // The first record comes a few milliseconds before the last: try until a stop lands in between.
        var caught = false;
        for (var attempt = 0; attempt < 20 && !caught; attempt++)
        {
            var id = NewId();
            var bundle = NewBundle(id, "sleep", "10").Write();
            var stdio = Path.Combine(Work, $"stdio-{id}");
            using var create = Process.Start("/bin/sh", ["-c", $"exec {Runtime.Binary} --root '{Runtime.Root}' create --bundle '{bundle.Dir}' {id} </dev/null >'{stdio}' 2>&1"]);
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!File.Exists(Path.Combine(Runtime.Root, id, "state.json")) && DateTime.UtcNow < deadline) Thread.Sleep(0);
            Runtime.Shell($"kill -STOP {create.Id}");
            try
            {
                var state = Runtime.Run("state", id);
                state.ExitCode.Should().Be(0, state.ToString());
                caught = (string?)JsonNode.Parse(state.Stdout)!["status"] == "creating";
            }
            finally
            {
                create.Kill();
                create.WaitForExit();
            }
            if (caught)
            {
                ((string?)State(id)["status"]).Should().Be("stopped", "its create is gone");
                Runtime.Run("list").Stdout.Should().Contain(id);
            }
            Runtime.Run("delete", "--force", id).ExitCode.Should().Be(0);
            ShouldHaveLeftNothing(id);
        }
        caught.Should().BeTrue("a create stopped between its first record and its last is shown as creating");
    }

    [RootFact]
    public void With_no_pivot_the_container_cannot_mount_a_fresh_procfs()
    {
        // Without pivot_root the host's /proc stays in the mount namespace, below the
        // chroot: the kernel lets a new procfs be mounted where a full one is visible.
        var id = NewId();
        var bundle = NewBundle(id, "sh", "-c",
            "unshare -mrpf true && echo USERNS_OK; unshare -mrpf sh -c 'mount -t proc proc /tmp && echo MOUNTED' 2>&1; echo done");
        AddCapabilities(bundle, "CAP_SETUID", "CAP_SETGID", "CAP_SETFCAP");
        var result = Runtime.Run("run", "--no-pivot", "--bundle", bundle.Write().Dir, id);
        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain("USERNS_OK", "the container can make a user namespace, so the attempt is real");
        result.Stdout.Should().Contain("done").And.NotContain("MOUNTED");
    }

    [RootFact]
    public void A_cwd_only_root_may_enter_is_entered_before_privileges_are_dropped()
    {
        var id = NewId();
        var bundle = NewBundle(id, "pwd");
        bundle.Mounts.Add(new JsonObject
        {
            ["destination"] = "/private", ["type"] = "tmpfs", ["source"] = "tmpfs", ["options"] = new JsonArray("mode=700"),
        });
        bundle.Process["cwd"] = "/private";
        bundle.Process["user"] = new JsonObject { ["uid"] = 1000, ["gid"] = 1000 };
        RunOk(bundle, id).Should().Be("/private\n");
    }

    [RootFact]
    public void A_read_only_dev_gets_its_devices_before_it_is_made_read_only()
    {
        // runc's "ro /dev mount" case: a last tmpfs on /dev with "ro".
        var id = NewId();
        var bundle = NewBundle(id, "sh", "-c", "grep '^tmpfs /dev ' /proc/mounts | tail -n 1; ls /dev/null; touch /dev/x 2>&1 || echo refused");
        bundle.Mounts.Add(new JsonObject { ["destination"] = "/dev", ["type"] = "tmpfs", ["source"] = "tmpfs", ["options"] = new JsonArray("ro") });
        var output = RunOk(bundle, id);
        output.Should().StartWith("tmpfs /dev tmpfs ro,");
        output.Should().Contain("/dev/null").And.Contain("refused");
    }

    [RootFact]
    public void A_cwd_through_an_fd_of_init_never_starts_the_process()
    {
        // CVE-2024-21626: process.cwd /proc/self/fd/N names one of init's own fds, which may
        // lead outside the rootfs; the check after chdir must stop the container.
        var breakouts = 0;
        for (var fd = 3; fd <= 12; fd++)
        {
            var id = NewId();
            var bundle = NewBundle(id, "sh", "-c", "echo STARTED; pwd");
            bundle.Process["cwd"] = $"/proc/self/fd/{fd}";
            var result = RunContainer(bundle, id);
            // An fd that is a directory of the container (its /proc) is a cwd like any other.
            if (result.Stdout.StartsWith("STARTED\n"))
                result.Stdout.Should().MatchRegex("^STARTED\n/", $"cwd fd {fd} is inside the container: {result}");
            else
                result.ExitCode.Should().Be(1, result.ToString());
            if (result.Stderr.Contains("possible container breakout")) breakouts++;
        }
        breakouts.Should().BeGreaterThan(0, "one of init's fds is a directory outside the rootfs: the check must have caught it");
    }

    [RootFact]
    public void A_mount_below_a_symlink_that_points_outside_stays_inside_the_rootfs()
    {
        // /evil -> a host directory: a mount at /evil/sub must create `sub` inside the rootfs.
        var id = NewId();
        var host = Directory.CreateDirectory(Path.Combine(Work, "host-target")).FullName;
        var rootfs = MinimalRootfs.Make(Path.Combine(Work, "evil-rootfs"));
        File.CreateSymbolicLink(Path.Combine(rootfs, "evil"), host);
        Directory.CreateDirectory(Path.Combine(rootfs, host.TrimStart('/'))); // where /evil leads inside the rootfs
        var bundle = NewBundle(id, "true");
        bundle.Config["root"] = new JsonObject { ["path"] = rootfs };
        bundle.Mounts.Add(new JsonObject { ["destination"] = "/evil/sub", ["type"] = "tmpfs", ["source"] = "tmpfs", ["options"] = new JsonArray() });
        RunOk(bundle, id);
        Directory.EnumerateFileSystemEntries(host).Should().BeEmpty("nothing is made in the host directory the symlink names");
        Directory.Exists(Path.Combine(rootfs, host.TrimStart('/'), "sub")).Should().BeTrue("the symlink is resolved inside the rootfs");
    }

    [RootFact]
    public void A_relative_cgroups_path_with_dot_dot_stays_below_the_callers_cgroup()
    {
        // The caller runs in pids:/oci-run-test/caller-X; "../../../../ID" must not climb out of it.
        var pids = HostCgroups.V1("pids");
        Skip.If(pids is null, "needs a cgroup v1 pids hierarchy for the caller's cgroup");
        var id = NewId();
        var caller = pids.Dir($"/{CgroupParent}/caller-{id}");
        Directory.CreateDirectory(caller);
        try
        {
            var bundle = NewBundle(id, "sleep", "100");
            bundle.Linux["cgroupsPath"] = $"../../../../{id}";
            var create = Runtime.Shell($"echo $$ > {caller}/cgroup.procs && exec {Runtime.Binary} --root '{Runtime.Root}' create --bundle '{bundle.Write().Dir}' {id} </dev/null >/dev/null 2>&1");
            create.ExitCode.Should().Be(0, create.ToString());
            var pid = (int)State(id)["pid"]!;
            File.ReadAllLines($"/proc/{pid}/cgroup").Should().Contain(l => l.EndsWith($":{string.Join(',', pids.Controllers)}:/{CgroupParent}/caller-{id}/{id}"));
        }
        finally
        {
            Runtime.Run("delete", "--force", id);
            // The shell moved into it may take a moment to be reaped: rmdir fails with EBUSY until then.
            for (var attempt = 0; Directory.Exists(caller) && attempt < 100; attempt++)
            {
                try { Directory.Delete(caller); } catch (IOException) { Thread.Sleep(20); }
            }
        }
    }

    [RootFact]
    public void Create_with_a_root_that_is_a_regular_file_fails_with_one_line()
    {
        var root = Path.Combine(Work, "root-file");
        File.WriteAllText(root, "not a directory");
        var id = NewId();
        var result = Runtime.Exec(["--root", root, "--log", Path.Combine(Work, "log.json"), "--log-format", "json",
            "create", "--bundle", NewBundle(id, "true").Write().Dir, id]);
        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle().Which.Should().Contain(root);
        File.ReadAllText(Path.Combine(Work, "log.json")).Should().Contain("\"level\":\"error\"");
        File.ReadAllText(root).Should().Be("not a directory");
        CgroupDirs(id).Should().BeEmpty();
    }

    [RootFact]
    public void Delete_on_a_read_only_root_fails_with_one_line_and_the_container_still_works()
    {
        var root = Directory.CreateDirectory(Path.Combine(Work, "ro-root")).FullName;
        Runtime.Shell($"mount -t tmpfs tmpfs '{root}'").ExitCode.Should().Be(0);
        var runtime = new Runtime(root);
        var id = NewId();
        try
        {
            var create = Runtime.Shell($"exec {Runtime.Binary} --root '{root}' create --bundle '{NewBundle(id, "sleep", "100").Write().Dir}' {id} </dev/null >/dev/null 2>&1");
            create.ExitCode.Should().Be(0, create.ToString());
            Runtime.Shell($"mount -o remount,ro '{root}'").ExitCode.Should().Be(0);
            var delete = runtime.Run("delete", "--force", id);
            delete.ExitCode.Should().Be(1, delete.ToString());
            delete.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle().Which.Should().Contain("Read-only file system");

            Runtime.Shell($"mount -o remount,rw '{root}'").ExitCode.Should().Be(0);
            var state = runtime.Run("state", id);
            state.ExitCode.Should().Be(0, "the container's record is still there: " + state);
            ((string?)JsonNode.Parse(state.Stdout)!["status"]).Should().Be("created", "nothing was killed");
            runtime.Run("delete", "--force", id).ExitCode.Should().Be(0);
            ShouldHaveLeftNothing(id);
        }
        finally
        {
            runtime.Run("delete", "--force", id);
            Runtime.Shell($"umount -l '{root}'");
        }
    }

    private static void ShouldEndCleanly(RunResult result, string what, string? failure = null)
    {
        result.ExitCode.Should().BeOneOf([0, 1], $"{what}: {result}");
        result.Stdout.Should().NotContain("Unhandled").And.NotContain("   at ");
        if (result.ExitCode == 1)
        {
            var lines = result.Stderr.Length > 0 ? result.Stderr : result.Stdout;
            lines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(1, $"{what}: one line: {result}");
            if (failure is not null) lines.Should().Contain(failure);
        }
    }

    private void ShouldHaveLeftNothing(string id)
    {
        Directory.Exists(Path.Combine(Runtime.Root, id)).Should().BeFalse($"{id}: no state is left");
        CgroupDirs(id).Should().BeEmpty($"{id}: no cgroup is left");
        var deadline = DateTime.UtcNow.AddSeconds(5);
        List<int> left;
        while ((left = ProcessesOf(id)).Count > 0 && DateTime.UtcNow < deadline) Thread.Sleep(20);
        left.Should().BeEmpty($"{id}: no process is left");
    }

    // Live processes whose cgroup (in any hierarchy) is the container's.
    private static List<int> ProcessesOf(string id)
    {
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cgroup")).Contains($"/{CgroupParent}/{id}") && !IsGone(pid)) pids.Add(pid);
            }
            catch (IOException) { /* exited while we looked */ }
        }
        return pids;
    }
}
