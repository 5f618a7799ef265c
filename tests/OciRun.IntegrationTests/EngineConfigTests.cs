using System.Diagnostics;
using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

/// <summary>
/// The configs Docker 20.10, podman 4.3 and containerd 1.6's ctr gave a runtime
/// for a plain run and for one with limits (tests/EngineConfigs, captured with
/// capture.sh there) create and run: the container feels the limits the engine
/// asked for, and sees the same under oci-run as under runc (when runc is installed).
/// Each fixture is made runnable here and otherwise kept as the engine wrote it.
/// </summary>
public sealed class EngineConfigTests : ContainerTest
{
    /// <summary>What a cgroup v1 hierarchy shows of a container's limits, one line each, in this order.</summary>
    private sealed record Limits(string Memory, string Pids, string CpuQuota, string CpuPeriod, string CpuShares)
    {
        public override string ToString() => string.Join('\n', Memory, Pids, CpuQuota, CpuPeriod, CpuShares);
    }

    private sealed record FixtureRun(int ExitCode, string Inside, string Host, string Stderr, List<string> CgroupsLeft)
    {
        public override string ToString() => $"exit {ExitCode}\ninside: {Inside}\nhost: {Host}\nstderr: {Stderr}";
    }

    private const string Ready = "ready";

    // Prints the limit files where the container's cgroup mount shows them, then waits on stdin so the
    // test can read the same files from the host while the container lives (ctr's config mounts no cgroups).
    private const string Script =
        "set -e; if [ -d /sys/fs/cgroup/memory ]; then cd /sys/fs/cgroup; " +
        "cat memory/memory.limit_in_bytes pids/pids.max cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us cpu/cpu.shares; " +
        "else echo no cgroup files inside; fi; echo " + Ready + "; read -r _ || true";

    // memory.limit_in_bytes with no limit: the largest page counter, in bytes.
    private static readonly string NoMemoryLimit = (long.MaxValue / Environment.SystemPageSize * Environment.SystemPageSize).ToString();

    // No limit asked: the kernel's defaults (no quota, period 100 ms, 1024 shares).
    private static Limits Plain(string pids = "max") => new(NoMemoryLimit, pids, "-1", "100000", "1024");

    // `--memory 64m --pids-limit 50 --cpus 0.5` (ctr: `--memory-limit 67108864 --cpus 0.5`, it has no pids flag).
    private static Limits Limited(string pids = "50") => new("67108864", pids, "50000", "100000", "1024");

    private static readonly string[] Tested =
        ["docker-20.10-plain", "docker-20.10-limits", "podman-4.3-plain", "podman-4.3-limits", "ctr-1.6-plain", "ctr-1.6-limits"];

    private static string FixtureDir => Path.Combine(Runtime.RepoRoot, "tests", "EngineConfigs");

    // Docker sends cpu.shares 0, blockIO.weight 0 and memory.disableOOMKiller false: all three mean "not set".
    [RootFact] public void Docker_20_10_plain() => Check("docker-20.10-plain", Plain());
    [RootFact] public void Docker_20_10_limits() => Check("docker-20.10-limits", Limited());
    // podman asks for 2048 pids when given no --pids-limit.
    [RootFact] public void Podman_4_3_plain() => Check("podman-4.3-plain", Plain(pids: "2048"));
    [RootFact] public void Podman_4_3_limits() => Check("podman-4.3-limits", Limited());
    [RootFact] public void Ctr_1_6_plain() => Check("ctr-1.6-plain", Plain());
    [RootFact] public void Ctr_1_6_limits() => Check("ctr-1.6-limits", Limited(pids: "max"));

    [Fact]
    public void Every_fixture_has_a_test()
    {
        Directory.GetFiles(FixtureDir, "*.json").Select(Path.GetFileNameWithoutExtension).Should().BeEquivalentTo(Tested);
    }

    private void Check(string fixture, Limits expected)
    {
        Skip.If(HostCgroups.V1("memory") is null || HostCgroups.V1("pids") is null || HostCgroups.V1("cpu") is null,
            "reads the cgroup v1 limit files: needs v1 memory, pids and cpu hierarchies");
        var mountsCgroups = Fixture(fixture)["mounts"]!.AsArray().Any(m => (string?)m!["type"] == "cgroup" && (string?)m["destination"] == "/sys/fs/cgroup");
        var inside = mountsCgroups ? expected.ToString() : "no cgroup files inside";

        // The engine's rootfs (an overlay in its storage) is gone: a busybox one of this test's own,
        // shared by both runs (each only adds mount points to it).
        var rootfs = MinimalRootfs.Make(Path.Combine(Work, "rootfs"));
        var oci = RunFixture(fixture, rootfs, Runtime.Binary, Runtime.Root, "oci");
        var runc = RuncBinary is { } binary ? RunFixture(fixture, rootfs, binary, Path.Combine(Work, "runc-root"), "runc") : null;

        if (runc is not null) runc.ExitCode.Should().Be(0, $"runc runs the config made runnable here\n{runc}");
        oci.ExitCode.Should().Be(0, oci.ToString());
        oci.Inside.Should().Be(inside, "the container feels the limits the engine asked for");
        oci.Host.Should().Be(expected.ToString(), "the container's cgroup holds the limits the engine asked for");
        oci.CgroupsLeft.Should().BeEmpty("run removes the container's cgroup in every hierarchy");
        if (runc is null) return;
        oci.Inside.Should().Be(runc.Inside, "oci-run's container sees what runc's sees");
        oci.Host.Should().Be(runc.Host);
        runc.CgroupsLeft.Should().BeEmpty();
    }

    private static JsonObject Fixture(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(FixtureDir, name + ".json")))!.AsObject();

    /// <summary>The fixture made runnable on this host, in a bundle of its own: only what must change here changes.</summary>
    private static JsonObject Runnable(string fixture, string rootfs, string bundle, string id)
    {
        var config = Fixture(fixture);
        config["root"]!["path"] = rootfs;
        config["process"]!["args"] = new JsonArray("sh", "-c", Script);
        var linux = config["linux"]!.AsObject();
        linux["cgroupsPath"] = $"/{CgroupParent}/{id}";
        // A namespace to join by path would be the engine's (a netns file it made): make new ones.
        foreach (var ns in linux["namespaces"]!.AsArray()) ns!.AsObject().Remove("path");
        // Docker's one hook, its libnetwork-setkey, calls back to a dockerd that is not running
        // here, so it goes (hooks themselves are HookTests'). Seccomp profiles stay.
        config.Remove("hooks");
        LowerRlimits(config["process"]!.AsObject());
        ReplaceEngineFiles(config["mounts"]!.AsArray(), Path.Combine(bundle, "engine-files"));
        return config;
    }

    // Without CAP_SYS_RESOURCE a hard rlimit cannot be raised above the caller's (podman's default NOFILE
    // 1048576 fails with every runtime here), so an rlimit above this process's hard limit is lowered to it.
    private static void LowerRlimits(JsonObject process)
    {
        if (process["rlimits"] is not JsonArray rlimits) return;
        foreach (var rlimit in rlimits)
        {
            if (HardLimit((string)rlimit!["type"]!) is not { } hard) continue;
            if ((ulong)rlimit["hard"]! > hard) rlimit["hard"] = hard;
            if ((ulong)rlimit["soft"]! > hard) rlimit["soft"] = hard;
        }
    }

    /// <summary>This process's hard limit from /proc/self/limits, for the rlimits engines send; null when unlimited or not one of those.</summary>
    private static ulong? HardLimit(string type)
    {
        var name = type switch { "RLIMIT_NOFILE" => "Max open files", "RLIMIT_NPROC" => "Max processes", _ => null };
        if (name is null) return null;
        var line = File.ReadLines("/proc/self/limits").First(l => l.StartsWith(name + " "));
        var hard = line[name.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return hard == "unlimited" ? null : ulong.Parse(hard);
    }

    // Engines bind files they made for the container (hosts, hostname, resolv.conf, .containerenv;
    // podman's /dev/shm is a directory): those are gone, so the test makes stand-ins of the same kind.
    private static void ReplaceEngineFiles(JsonArray mounts, string dir)
    {
        Directory.CreateDirectory(dir);
        var n = 0;
        foreach (var mount in mounts)
        {
            var options = mount!["options"]?.AsArray().Select(o => (string?)o).ToList() ?? [];
            var isBind = (string?)mount["type"] == "bind" || options.Contains("bind") || options.Contains("rbind");
            if (!isBind || mount["source"] is not JsonValue source || Path.Exists((string)source!)) continue;
            var standIn = Path.Combine(dir, $"{n++}-{Path.GetFileName((string?)mount["destination"])}");
            if ((string?)mount["destination"] == "/dev/shm") Directory.CreateDirectory(standIn);
            else File.WriteAllText(standIn, "made by EngineConfigTests\n");
            mount["source"] = standIn;
        }
    }

    private static string? RuncBinary { get; } =
        new[] { "/usr/local/sbin/runc", "/usr/local/bin/runc", "/usr/sbin/runc", "/usr/bin/runc", "/sbin/runc" }.FirstOrDefault(File.Exists);

    /// <summary>
    /// `BINARY --root ROOT run` of the fixture: what the container prints, the same files read from the host
    /// while it waits, and the cgroup directories left once run has returned. The container and its cgroups
    /// are removed whatever happens.
    /// </summary>
    private FixtureRun RunFixture(string fixture, string rootfs, string binary, string root, string label)
    {
        var id = NewId(label);
        var bundle = Path.Combine(Work, id);
        Directory.CreateDirectory(bundle);
        File.WriteAllText(Path.Combine(bundle, "config.json"), Runnable(fixture, rootfs, bundle, id).ToJsonString());
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--root", root, "run", "--bundle", bundle, id }) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        try
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var inside = new List<string>();
            string? line;
            while ((line = ReadLine(process)) is not null && line != Ready) inside.Add(line);
            var host = line == Ready ? HostLimits(id).ToString() : "(the container never said it was ready)";
            process.StandardInput.Close();
            var rest = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60))) throw new TimeoutException($"{binary} run {fixture} did not finish within 60s");
            process.WaitForExit();
            inside.AddRange(rest.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            return new FixtureRun(process.ExitCode, string.Join('\n', inside), host, stderr.Result, CgroupDirs(id));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            Delete(binary, root, id);
            foreach (var dir in CgroupDirs(id))
                try { Directory.Delete(dir); } catch (IOException) { }
        }
    }

    private static string? ReadLine(Process process)
    {
        var line = process.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(60))) throw new TimeoutException("the container printed nothing for 60s");
        return line.Result;
    }

    private static void Delete(string binary, string root, string id)
    {
        using var delete = Process.Start(new ProcessStartInfo(binary, ["--root", root, "delete", "--force", id])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        delete.WaitForExit(TimeSpan.FromSeconds(60));
    }

    private static Limits HostLimits(string id)
    {
        string Read(string controller, string file) =>
            File.ReadAllText(Path.Combine(HostCgroups.V1(controller)!.Dir($"/{CgroupParent}/{id}"), file)).Trim();
        return new(Read("memory", "memory.limit_in_bytes"), Read("pids", "pids.max"),
            Read("cpu", "cpu.cfs_quota_us"), Read("cpu", "cpu.cfs_period_us"), Read("cpu", "cpu.shares"));
    }
}
