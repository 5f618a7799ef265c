using System.Text.Json.Nodes;
using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

public sealed class NamespaceTests : ContainerTest
{
    [RootFact]
    public void The_container_gets_new_namespaces()
    {
        var id = NewId();
        var inside = RunOk(NewBundle(id, "sh", "-c", "for n in pid net ipc uts mnt cgroup; do readlink /proc/self/ns/$n; done"), id)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var host = new[] { "pid", "net", "ipc", "uts", "mnt", "cgroup" }.Select(n => new FileInfo($"/proc/self/ns/{n}").LinkTarget).ToArray();
        inside.Should().HaveCount(6);
        for (var i = 0; i < 6; i++) inside[i].Should().NotBe(host[i]);
    }

    [RootFact]
    public void A_namespace_given_by_path_is_joined()
    {
        var first = NewId("first");
        var bundle = NewBundle(first, "sleep", "100").Write();
        RunDetachedOk(bundle, first);
        var pid = (int)State(first)["pid"]!;
        var net = new FileInfo($"/proc/{pid}/ns/net").LinkTarget;
        var uts = new FileInfo($"/proc/{pid}/ns/uts").LinkTarget;

        var second = NewId("second");
        var joining = NewBundle(second, "sh", "-c", "readlink /proc/self/ns/net; readlink /proc/self/ns/uts");
        foreach (var ns in joining.Linux["namespaces"]!.AsArray())
            if ((string?)ns!["type"] == "network") ns["path"] = $"/proc/{pid}/ns/net";
        var lines = RunOk(joining, second).Split('\n');
        lines[0].Should().Be(net, "the network namespace was joined by path");
        lines[1].Should().NotBe(uts, "the other namespaces are new");
    }

    /// <summary>
    /// A new time namespace with linux.timeOffsets: the container's monotonic and
    /// boot-time clocks are shifted (its /proc/uptime is boottime), the host's are
    /// not; an exec'd process joins it. runc 1.1.5 has no time namespaces.
    /// </summary>
    [RootFact]
    public void A_time_namespace_shifts_the_containers_clocks_and_exec_joins_it()
    {
        Skip.IfNot(File.Exists("/proc/self/ns/time"), "the kernel has no time namespaces");
        var id = NewId();
        var bundle = NewBundle(id, "sleep", "100");
        bundle.Linux["namespaces"]!.AsArray().Add(new JsonObject { ["type"] = "time" });
        bundle.Linux["timeOffsets"] = new JsonObject
        {
            ["boottime"] = new JsonObject { ["secs"] = 10 * 86400, ["nanosecs"] = 0 },
            ["monotonic"] = new JsonObject { ["secs"] = 86400 },
        };
        RunDetachedOk(bundle.Write(), id);
        var pid = (int)State(id)["pid"]!;
        new FileInfo($"/proc/{pid}/ns/time").LinkTarget.Should().NotBe(new FileInfo("/proc/self/ns/time").LinkTarget);
        // The kernel shows them as "%-10s %10lld %9ld" lines.
        File.ReadAllText($"/proc/{pid}/timens_offsets").Should().Be($"{"monotonic",-10} {86400,10} {0,9}\n{"boottime",-10} {864000,10} {0,9}\n");

        var hostUptime = double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        var exec = Runtime.Shell($"exec {Runtime.Binary} --root '{Runtime.Root}' exec {id} cat /proc/uptime </dev/null");
        exec.ExitCode.Should().Be(0, exec.ToString());
        var inside = double.Parse(exec.Stdout.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        inside.Should().BeInRange(hostUptime + 864000 - 60, hostUptime + 864000 + 60, "/proc/uptime in the container is ten days ahead of the host's");
        double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture).Should().BeLessThan(hostUptime + 60, "the host's clock is untouched");
    }

    [RootFact]
    public void Time_offsets_without_a_new_time_namespace_are_refused_and_nothing_is_left()
    {
        var id = NewId();
        var bundle = NewBundle(id, "true");
        bundle.Linux["timeOffsets"] = new JsonObject { ["monotonic"] = new JsonObject { ["secs"] = 1 } };
        var result = RunContainer(bundle, id);
        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain("linux.timeOffsets: needs a new time namespace");
        Runtime.Run("state", id).ExitCode.Should().NotBe(0, "nothing is left");
    }

    /// <summary>linux.personality LINUX32: the process and an exec'd one run in the 32-bit domain (uname says i686), as `setarch i686` gives.</summary>
    [RootFact]
    public void The_personality_domain_applies_to_the_process_and_to_exec()
    {
        Skip.IfNot(System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64, "LINUX32 shows as i686 on x86_64");
        var id = NewId();
        var bundle = NewBundle(id, "sleep", "100");
        bundle.Linux["personality"] = new JsonObject { ["domain"] = "LINUX32" };
        RunDetachedOk(bundle.Write(), id);
        File.ReadAllText($"/proc/{(int)State(id)["pid"]!}/personality").Trim().Should().Be("00000008", "the container's process runs as PER_LINUX32");
        var exec = Runtime.Shell($"exec {Runtime.Binary} --root '{Runtime.Root}' exec {id} uname -m </dev/null");
        exec.ExitCode.Should().Be(0, exec.ToString());
        exec.Stdout.Should().Be("i686\n", "an exec'd process runs in the container's domain too");
    }

    /// <summary>linux.memoryPolicy: init and an exec'd process start with the NUMA policy (what /proc/PID/numa_maps shows of their memory).</summary>
    [RootFact]
    public void The_memory_policy_applies_to_the_process_and_to_exec()
    {
        Skip.IfNot(Directory.Exists("/sys/devices/system/node/node0"), "the kernel has no NUMA node 0");
        var id = NewId();
        var bundle = NewBundle(id, "sleep", "100");
        bundle.Linux["memoryPolicy"] = new JsonObject { ["mode"] = "MPOL_BIND", ["nodes"] = "0", ["flags"] = new JsonArray("MPOL_F_STATIC_NODES") };
        RunDetachedOk(bundle.Write(), id);
        File.ReadAllText($"/proc/{(int)State(id)["pid"]!}/numa_maps").Should().Contain(" bind=static:0 ", "init's memory is bound to node 0");
        var pidFile = Path.Combine(Work, "exec.pid");
        var exec = Runtime.Shell($"exec {Runtime.Binary} --root '{Runtime.Root}' exec -d --pid-file '{pidFile}' {id} sleep 100 </dev/null >/dev/null 2>&1");
        exec.ExitCode.Should().Be(0, exec.ToString());
        File.ReadAllText($"/proc/{int.Parse(File.ReadAllText(pidFile).Trim())}/numa_maps").Should().Contain(" bind=static:0 ", "an exec'd process gets the policy too");
    }
}
