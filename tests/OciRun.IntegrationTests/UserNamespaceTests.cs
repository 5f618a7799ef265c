using System.Diagnostics;
using System.Text.RegularExpressions;
using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

/// <summary>
/// User namespaces: a new one with uid/gid 0 mapped to host 100000 (65536 IDs),
/// one joined by path, and bad input. Where runc is installed, the same bundle
/// runs under runc and must print the same.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class UserNamespaceTests : ContainerTest
{
    private const uint HostBase = 100000, Size = 65536;

    private static readonly string? Runc =
        new[] { "/usr/local/sbin/runc", "/usr/sbin/runc", "/usr/bin/runc" }.FirstOrDefault(File.Exists);

    private static JsonArray Mapping(uint container, uint host, uint size) =>
        [new JsonObject { ["containerID"] = container, ["hostID"] = host, ["size"] = size }];

    private static Bundle WithNewUserNamespace(Bundle bundle)
    {
        bundle.Linux["namespaces"]!.AsArray().Add(new JsonObject { ["type"] = "user" });
        bundle.Linux["uidMappings"] = Mapping(0, HostBase, Size);
        bundle.Linux["gidMappings"] = Mapping(0, HostBase, Size);
        return bundle;
    }

    private static Bundle JoiningUserNamespace(Bundle bundle, string path)
    {
        bundle.Linux["namespaces"]!.AsArray().Add(new JsonObject { ["type"] = "user", ["path"] = path });
        return bundle;
    }

    private RunResult RunWithRunc(Bundle bundle, string id) =>
        Runtime.Shell($"exec '{Runc}' --root '{Path.Combine(Work, "runc-root")}' run --bundle '{bundle.Write().Dir}' '{id}' </dev/null");

    // The kernel pads /proc/PID/uid_map's columns; the numbers are what matter.
    private static string Numbers(string text) => Spaces().Replace(text.Trim(), " ");

    [GeneratedRegex(@"[ \t]+")]
    private static partial Regex Spaces();

    // What the process inside sees, for oci-run and runc alike.
    private const string Probe =
        "cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g; grep CapEff /proc/self/status; " +
        "echo made > /tmp/file && cat /tmp/file; " +
        "echo x > /dev/null && head -c 4 /dev/zero | wc -c; " +
        "touch /data/new 2>/dev/null && echo ro-writable || echo ro-refused";

    private Bundle ProbeBundle(string id, string readOnlySource)
    {
        var bundle = WithNewUserNamespace(NewBundle(id, "sh", "-c", Probe));
        // Mount points that exist in the shared rootfs: its directories belong to the host's root, whom
        // the container's root is not, so nothing can be made there.
        bundle.Mounts.Add(new JsonObject { ["destination"] = "/tmp", ["type"] = "tmpfs", ["source"] = "tmpfs", ["options"] = new JsonArray("nosuid") });
        bundle.Mounts.Add(new JsonObject { ["destination"] = "/data", ["type"] = "bind", ["source"] = readOnlySource, ["options"] = new JsonArray("rbind", "ro") });
        return bundle;
    }

    [RootFact]
    public void A_new_user_namespace_maps_root_to_the_configured_host_ids_and_the_container_works_as_under_runc()
    {
        // The container's root is host uid 100000: it must be able to reach the bind source.
        File.SetUnixFileMode(Work, (UnixFileMode)0x1C9 /* 0711 */);
        var source = Directory.CreateDirectory(Path.Combine(Work, "ro-source")).FullName;
        File.SetUnixFileMode(source, (UnixFileMode)0x1FF /* 0777: writable, were it not read-only */);
        var id = NewId();
        var lines = RunOk(ProbeBundle(id, source), id).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Numbers(lines[0]).Should().Be($"0 {HostBase} {Size}", "the uid map is the configured one");
        Numbers(lines[1]).Should().Be($"0 {HostBase} {Size}", "the gid map is the configured one");
        lines[2..].Where(l => !l.StartsWith("CapEff")).Should().Equal("0", "0", "made", "4", "ro-refused");
        File.Exists(Path.Combine(source, "new")).Should().BeFalse();

        if (Runc is null) return;
        var runcId = NewId("runc");
        var runc = RunWithRunc(ProbeBundle(runcId, source), runcId);
        runc.ExitCode.Should().Be(0, runc.ToString());
        runc.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Numbers)
            .Should().Equal(lines.Select(Numbers), "runc's container sees the same, capabilities included");
    }

    [RootFact]
    public void A_read_only_bind_in_a_user_namespace_keeps_the_flags_its_source_locks()
    {
        // A nosuid,nodev,noexec tmpfs of the test's own: in a user namespace those flags are locked on the
        // bind, so the remount that adds "ro" must repeat them (the kernel refuses to drop them).
        File.SetUnixFileMode(Work, (UnixFileMode)0x1C9 /* 0711 */);
        var source = Directory.CreateDirectory(Path.Combine(Work, "locked-src")).FullName;
        Runtime.Shell($"mount -t tmpfs -o nosuid,nodev,noexec,mode=755 tmpfs {source}").ExitCode.Should().Be(0);
        try
        {
            Bundle Make(string id)
            {
                var bundle = WithNewUserNamespace(NewBundle(id, "sh", "-c", "grep ' /data ' /proc/self/mountinfo | cut -d' ' -f6; touch /data/x 2>/dev/null || echo refused"));
                bundle.Mounts.Add(new JsonObject { ["destination"] = "/data", ["type"] = "bind", ["source"] = source, ["options"] = new JsonArray("rbind", "ro") });
                return bundle;
            }
            var id = NewId();
            var output = RunOk(Make(id), id);
            output.Split('\n')[0].Split(',').Should().Contain(["ro", "nosuid", "nodev", "noexec"]);
            output.Split('\n')[1].Should().Be("refused");
            // No comparison with runc: 1.1.5 remounts without the locked flags and fails with EPERM here.
        }
        finally
        {
            Runtime.Shell($"umount {source}");
        }
    }

    [RootFact]
    public void A_created_container_runs_as_the_mapped_host_uid_in_its_cgroup_with_its_oom_score_and_starts()
    {
        // --root stays 0700: init, host uid 100000, gets exec.fifo from create, not by its path.
        var id = NewId();
        var bundle = WithNewUserNamespace(NewBundle(id, "sleep", "100"));
        bundle.Process["oomScoreAdj"] = 100; // written by create: in the namespace init could not
        CreateOk(bundle, id);
        var pid = (int)State(id)["pid"]!;
        File.ReadAllText($"/proc/{pid}/oom_score_adj").Trim().Should().Be("100");
        var status = File.ReadAllLines($"/proc/{pid}/status");
        status.Single(l => l.StartsWith("Uid:")).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1..].Should().AllBe($"{HostBase}");
        status.Single(l => l.StartsWith("Gid:")).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1..].Should().AllBe($"{HostBase}");
        WaitForProcesses(id, 1).Should().Equal(pid);
        new FileInfo($"/proc/{pid}/ns/user").LinkTarget.Should().NotBe(new FileInfo("/proc/self/ns/user").LinkTarget);

        Runtime.Run("start", id).ExitCode.Should().Be(0);
        WaitForStatus(id, "running");
        // Running once start has read exec.fifo; init execs right after.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!File.ReadAllText($"/proc/{pid}/cmdline").StartsWith("sleep") && DateTime.UtcNow < deadline) Thread.Sleep(10);
        File.ReadAllText($"/proc/{pid}/cmdline").Should().StartWith("sleep");
    }

    [RootFact]
    public void A_prestart_hook_sees_the_pid_of_init_with_its_maps_written()
    {
        File.SetUnixFileMode(Work, (UnixFileMode)0x1C9 /* 0711 */);
        var log = Path.Combine(Work, "hook-log");
        var id = NewId();
        var bundle = WithNewUserNamespace(NewBundle(id, "true"));
        bundle.Config["hooks"] = new JsonObject
        {
            ["prestart"] = new JsonArray(new JsonObject
            {
                ["path"] = "/bin/sh",
                ["args"] = new JsonArray("sh", "-c", $"pid=$(sed -n 's/.*\"pid\": *\\([0-9]*\\).*/\\1/p'); cat /proc/$pid/uid_map > {log}"),
            }),
        };
        RunOk(bundle, id);
        Numbers(File.ReadAllText(log)).Should().Be($"0 {HostBase} {Size}");
    }

    [RootFact]
    public void A_seccomp_filter_without_no_new_privileges_is_loaded_in_the_user_namespace()
    {
        var id = NewId();
        var bundle = WithNewUserNamespace(NewBundle(id, "sh", "-c", "grep '^Seccomp:' /proc/self/status; grep NoNewPrivs /proc/self/status; mkdir /tmp/d 2>/dev/null || echo refused"));
        bundle.Process["noNewPrivileges"] = false;
        bundle.Linux["seccomp"] = new JsonObject
        {
            ["defaultAction"] = "SCMP_ACT_ALLOW",
            ["syscalls"] = new JsonArray(new JsonObject { ["names"] = new JsonArray("mkdir", "mkdirat"), ["action"] = "SCMP_ACT_ERRNO" }),
        };
        RunOk(bundle, id).Should().Be("Seccomp:\t2\nNoNewPrivs:\t0\nrefused\n");
    }

    // ---- joining ----

    /// <summary>`unshare -U sleep`, with the test's maps written into its new user namespace; killed on dispose.</summary>
    private sealed class UnsharedUserNamespace : IDisposable
    {
        private readonly Process _process;

        public UnsharedUserNamespace()
        {
            var info = new ProcessStartInfo("unshare", ["-U", "sleep", "1000"]) { RedirectStandardInput = true, RedirectStandardOutput = true };
            _process = Process.Start(info)!;
            var own = new FileInfo("/proc/self/ns/user").LinkTarget;
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (new FileInfo($"/proc/{Pid}/ns/user").LinkTarget == own)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("unshare -U never made its user namespace");
                Thread.Sleep(5);
            }
            File.WriteAllText($"/proc/{Pid}/uid_map", $"0 {HostBase} {Size}\n");
            File.WriteAllText($"/proc/{Pid}/gid_map", $"0 {HostBase} {Size}\n");
        }

        public int Pid => _process.Id;

        public string Path => $"/proc/{Pid}/ns/user";

        public string Inode => new FileInfo(Path).LinkTarget!;

        public void Dispose()
        {
            _process.Kill();
            _process.WaitForExit();
            _process.Dispose();
        }
    }

    [RootFact]
    public void A_user_namespace_given_by_path_is_joined_first_and_owns_the_new_namespaces()
    {
        using var userns = new UnsharedUserNamespace();
        const string script = "readlink /proc/self/ns/user; cat /proc/self/uid_map; id -u; echo x > /dev/null && echo null-ok; hostname";
        var id = NewId();
        var bundle = JoiningUserNamespace(NewBundle(id, "sh", "-c", script), userns.Path);
        bundle.Config["hostname"] = "inside";
        var lines = RunOk(bundle, id).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be(userns.Inode, "the user namespace was joined");
        Numbers(lines[1]).Should().Be($"0 {HostBase} {Size}", "its maps are the ones it had");
        lines[2..].Should().Equal("0", "null-ok", "inside");

        if (Runc is null) return;
        // runc 1.1.5 wants the mappings in the config even for a joined namespace (it does not write them).
        var runcId = NewId("runc");
        var runcBundle = JoiningUserNamespace(NewBundle(runcId, "sh", "-c", script), userns.Path);
        runcBundle.Config["hostname"] = "inside";
        runcBundle.Linux["uidMappings"] = Mapping(0, HostBase, Size);
        runcBundle.Linux["gidMappings"] = Mapping(0, HostBase, Size);
        var runc = RunWithRunc(runcBundle, runcId);
        runc.ExitCode.Should().Be(0, runc.ToString());
        runc.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Numbers).Should().Equal(lines.Select(Numbers));
    }

    [RootFact]
    public void A_second_container_joins_the_user_namespace_of_the_first()
    {
        var first = NewId("first");
        RunDetachedOk(WithNewUserNamespace(NewBundle(first, "sleep", "100")), first);
        var pid = (int)State(first)["pid"]!;

        var second = NewId("second");
        var bundle = JoiningUserNamespace(NewBundle(second, "sh", "-c", "readlink /proc/self/ns/user; readlink /proc/self/ns/net; id -u"), $"/proc/{pid}/ns/user");
        var lines = RunOk(bundle, second).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be(new FileInfo($"/proc/{pid}/ns/user").LinkTarget);
        lines[1].Should().NotBe(new FileInfo($"/proc/{pid}/ns/net").LinkTarget, "the other namespaces are new");
        lines[2].Should().Be("0");
    }

    // ---- bad input ----


    [RootFact]
    public void A_rootfs_the_containers_root_cannot_reach_is_explained_and_leaves_nothing_behind()
    {
        // The test's work directory is 0700 and the host's root's: host uid 100000 cannot pass it.
        var id = NewId();
        var bundle = WithNewUserNamespace(NewBundle(id, "true"));
        var rootfs = Path.Combine(Work, "private-rootfs");
        Runtime.Shell($"cp -a '{(string)bundle.Config["root"]!["path"]!}' '{rootfs}'").ExitCode.Should().Be(0);
        bundle.Config["root"]!["path"] = rootfs;
        ShouldFailCleanly(Runtime.Run("create", "--bundle", bundle.Write().Dir, id), id,
            $"bind of the rootfs {rootfs}: Permission denied", "must be searchable by that user");
    }

    public static TheoryData<string, string> BadConfigs => new()
    {
        { "mappings-without-namespace", "linux.uidMappings: mappings are given but linux.namespaces has no user namespace" },
        { "namespace-without-mappings", "linux.uidMappings: a new user namespace needs uid mappings" },
        { "overlapping", "linux.uidMappings[1]: containerID range overlaps that of entry 0" },
        { "empty-range", "linux.gidMappings[0]: size must be at least 1" },
        { "missing-path", "/nonexistent/ns/user: No such file or directory" },
        { "not-a-user-namespace", "user namespace path /proc/self/ns/net: not a user namespace (it is of type network)" },
    };

    private Bundle BadBundle(string id, string kind)
    {
        var bundle = NewBundle(id, "true");
        switch (kind)
        {
            case "mappings-without-namespace":
                bundle.Linux["uidMappings"] = Mapping(0, HostBase, Size);
                bundle.Linux["gidMappings"] = Mapping(0, HostBase, Size);
                break;
            case "namespace-without-mappings":
                WithNewUserNamespace(bundle);
                bundle.Linux.Remove("uidMappings");
                break;
            case "overlapping":
                WithNewUserNamespace(bundle);
                bundle.Linux["uidMappings"]!.AsArray().Add(new JsonObject { ["containerID"] = 1000, ["hostID"] = 300000, ["size"] = 10 });
                break;
            case "empty-range":
                WithNewUserNamespace(bundle);
                bundle.Linux["gidMappings"] = Mapping(0, HostBase, 0);
                break;
            case "missing-path":
                JoiningUserNamespace(bundle, "/nonexistent/ns/user");
                break;
            case "not-a-user-namespace":
                JoiningUserNamespace(bundle, "/proc/self/ns/net");
                break;
        }
        return bundle;
    }

    [RootTheory]
    [MemberData(nameof(BadConfigs))]
    public void Bad_user_namespace_input_is_refused_and_leaves_nothing_behind(string kind, string message)
    {
        var id = NewId();
        ShouldFailCleanly(Runtime.Run("create", "--bundle", BadBundle(id, kind).Write().Dir, id), id, message);

        // runc 1.1.5 ignores mappings without a user namespace (its check never sees them); the rest it refuses.
        if (Runc is null || kind == "mappings-without-namespace") return;
        var runcId = NewId("runc");
        var runc = RunWithRunc(BadBundle(runcId, kind), runcId);
        runc.ExitCode.Should().NotBe(0, $"runc refuses it too: {runc}");
    }
}
