using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

/// <summary>sysctl, domainname, oomScoreAdj, masked directories, rootfs propagation: as the container sees them.</summary>
public sealed class KernelSettingsTests : ContainerTest
{
    [RootFact]
    public void Sysctl_domainname_and_oom_score_adj_are_applied()
    {
        var id = NewId();
        var bundle = NewBundle(id, "sh", "-c", "cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/domainname /proc/self/oom_score_adj");
        bundle.Linux["sysctl"] = new JsonObject { ["net.ipv4.ip_forward"] = "1" };
        bundle.Config["domainname"] = "example.test";
        bundle.Process["oomScoreAdj"] = 500;
        RunOk(bundle, id).Should().Be("1\nexample.test\n500\n");
        File.ReadAllText("/proc/self/oom_score_adj").Trim().Should().NotBe("500", "only the container's process changed");
    }

    [RootFact]
    public void A_sysctl_of_the_host_is_refused()
    {
        var id = NewId();
        var bundle = NewBundle(id, "true");
        bundle.Linux["sysctl"] = new JsonObject { ["kernel.panic"] = "5" };
        var result = RunContainer(bundle, id);
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("kernel.panic");
    }

    [RootFact]
    public void A_masked_directory_is_an_empty_read_only_tmpfs()
    {
        Skip.IfNot(Directory.Exists("/sys/firmware"), "this host has no /sys/firmware to mask");
        var id = NewId();
        var output = RunOk(NewBundle(id, "sh", "-c", "ls -A /sys/firmware | wc -l; grep ' /sys/firmware ' /proc/self/mountinfo"), id).Split('\n');
        output[0].Trim().Should().Be("0");
        output[1].Should().Contain("tmpfs").And.Contain(" ro,");
    }

    [RootFact]
    public void Rootfs_propagation_is_applied_to_the_root_mount()
    {
        var shared = NewId();
        var bundle = NewBundle(shared, "sh", "-c", "awk '$5 == \"/\"' /proc/self/mountinfo");
        bundle.Linux["rootfsPropagation"] = "shared";
        RunOk(bundle, shared).Should().Contain("shared:");

        var isolated = NewId();
        var privateBundle = NewBundle(isolated, "sh", "-c", "awk '$5 == \"/\"' /proc/self/mountinfo");
        privateBundle.Linux["rootfsPropagation"] = "private";
        RunOk(privateBundle, isolated).Should().NotContain("shared:").And.NotContain("master:");

        var unbindable = NewId();
        var unbindableBundle = NewBundle(unbindable, "sh", "-c", "awk '$5 == \"/\"' /proc/self/mountinfo");
        unbindableBundle.Linux["rootfsPropagation"] = "unbindable";
        RunOk(unbindableBundle, unbindable).Should().Contain("unbindable");
    }

    [RootFact]
    public void Kill_all_signals_every_process_of_the_container()
    {
        var id = NewId();
        RunDetachedOk(NewBundle(id, "sh", "-c", "sleep 300 & sleep 300 & wait"), id);
        var pids = WaitForProcesses(id, 3);
        Runtime.Run("kill", "--all", id, "KILL").ExitCode.Should().Be(0);
        WaitForStatus(id, "stopped");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!pids.All(IsGone) && DateTime.UtcNow < deadline) Thread.Sleep(10);
        pids.Should().OnlyContain(p => IsGone(p));
    }

    [RootFact]
    public void A_text_log_gets_the_error_too()
    {
        var id = NewId();
        var log = Path.Combine(Work, "log.txt");
        Runtime.Run("--log", log, "state", id).ExitCode.Should().Be(1);
        File.ReadAllText(log).Should().Contain("level=error").And.Contain(id);
    }
}
