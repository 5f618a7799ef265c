namespace OciRun.IntegrationTests.Support;

/// <summary>
/// A bundle made at test time: config.json (a JsonObject the test may change
/// before Write) and a busybox rootfs shared read-only by all tests.
/// </summary>
public sealed class Bundle
{
    private static readonly Lazy<string> SharedRootfs = new(MakeRootfs);

    public string Dir { get; }
    public JsonObject Config { get; }

    public Bundle(string dir, params string[] args)
    {
        Dir = dir;
        Directory.CreateDirectory(dir);
        Config = DefaultConfig(SharedRootfs.Value, args);
    }

    public JsonObject Process => Config["process"]!.AsObject();
    public JsonObject Linux => Config["linux"]!.AsObject();
    public JsonArray Mounts => Config["mounts"]!.AsArray();

    public Bundle Write()
    {
        File.WriteAllText(Path.Combine(Dir, "config.json"), Config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return this;
    }

    public void RemoveNamespace(string type)
    {
        var list = Linux["namespaces"]!.AsArray();
        foreach (var n in list.ToList())
            if ((string?)n!["type"] == type) list.Remove(n);
    }

    private static string MakeRootfs()
    {
        const string busybox = "/bin/busybox";
        if (!File.Exists(busybox)) throw new InvalidOperationException("busybox-static is not installed (/bin/busybox)");
        var rootfs = Path.Combine(Path.GetTempPath(), $"ocirun-test-rootfs-{Environment.ProcessId}");
        if (Directory.Exists(rootfs)) Directory.Delete(rootfs, true);
        foreach (var d in new[] { "bin", "dev", "etc", "proc", "sys", "tmp", "root", "data" })
            Directory.CreateDirectory(Path.Combine(rootfs, d));
        File.Copy(busybox, Path.Combine(rootfs, "bin", "busybox"));
        var list = Runtime.Shell($"{busybox} --list");
        foreach (var applet in list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var link = Path.Combine(rootfs, "bin", applet);
            if (!File.Exists(link)) File.CreateSymbolicLink(link, "busybox");
        }
        File.WriteAllText(Path.Combine(rootfs, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\n");
        File.WriteAllText(Path.Combine(rootfs, "etc", "group"), "root:x:0:\ntty:x:5:\n");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(rootfs, true); } catch (IOException) { } };
        return rootfs;
    }

    // runc's `spec` default, with the terminal off and the given args.
    private static JsonObject DefaultConfig(string rootfs, string[] args)
    {
        var caps = new JsonArray("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
        JsonNode Mount(string dest, string type, string source, params string[] options) =>
            new JsonObject { ["destination"] = dest, ["type"] = type, ["source"] = source, ["options"] = new JsonArray(options.Select(o => (JsonNode)o).ToArray()) };
        return new JsonObject
        {
            ["ociVersion"] = "1.0.2",
            ["process"] = new JsonObject
            {
                ["terminal"] = false,
                ["user"] = new JsonObject { ["uid"] = 0, ["gid"] = 0 },
                ["args"] = new JsonArray(args.Select(a => (JsonNode)a).ToArray()),
                ["env"] = new JsonArray("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"),
                ["cwd"] = "/",
                ["capabilities"] = new JsonObject
                {
                    ["bounding"] = caps.DeepClone(), ["effective"] = caps.DeepClone(), ["permitted"] = caps.DeepClone(), ["ambient"] = caps.DeepClone(),
                },
                ["rlimits"] = new JsonArray(new JsonObject { ["type"] = "RLIMIT_NOFILE", ["hard"] = 1024, ["soft"] = 1024 }),
                ["noNewPrivileges"] = true,
            },
            ["root"] = new JsonObject { ["path"] = rootfs, ["readonly"] = true },
            ["hostname"] = "testhost",
            ["mounts"] = new JsonArray(
                Mount("/proc", "proc", "proc"),
                Mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"),
                Mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"),
                Mount("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k"),
                Mount("/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev"),
                Mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro"),
                Mount("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro")),
            ["linux"] = new JsonObject
            {
                ["resources"] = new JsonObject { ["devices"] = new JsonArray(new JsonObject { ["allow"] = false, ["access"] = "rwm" }) },
                ["namespaces"] = new JsonArray(new[] { "pid", "network", "ipc", "uts", "mount", "cgroup" }.Select(t => (JsonNode)new JsonObject { ["type"] = t }).ToArray()),
                ["maskedPaths"] = new JsonArray("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                    "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"),
                ["readonlyPaths"] = new JsonArray("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"),
            },
        };
    }
}
