using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

public sealed class StressTests : ContainerTest
{
    private static int Cycles => int.TryParse(Environment.GetEnvironmentVariable("OCIRUN_STRESS_CYCLES"), out var n) ? n : 1000;

    private static int OpenFds() => Directory.GetFiles("/proc/self/fd").Length;

    [RootFact]
    [Trait("Category", "Stress")]
    public void A_thousand_create_start_delete_cycles_leak_nothing()
    {
        var mountsBefore = File.ReadAllLines("/proc/self/mountinfo").Length;
        var fdsBefore = OpenFds();
        var bundle = NewBundle("stress", "true").Write();
        for (var i = 0; i < Cycles; i++)
        {
            var id = $"stress-{i}";
            // stdio to /dev/null through a shell would cost a process per cycle; create gets the test's
            // pipes closed at once instead: the container only runs `true`.
            var create = Detached("create", "--bundle", bundle.Dir, id);
            create.ExitCode.Should().Be(0, $"cycle {i}: {create}");
            Runtime.Run("start", id).ExitCode.Should().Be(0, $"cycle {i}");
            WaitForStatus(id, "stopped");
            Runtime.Run("delete", id).ExitCode.Should().Be(0, $"cycle {i}");
        }

        File.ReadAllLines("/proc/self/mountinfo").Length.Should().Be(mountsBefore, "no mount is left on the host");
        Directory.EnumerateFileSystemEntries(Runtime.Root).Should().BeEmpty("no state directory is left");
        Directory.Exists($"/sys/fs/cgroup/memory/{CgroupParent}/stress").Should().BeFalse("no cgroup is left");
        OpenFds().Should().BeLessThanOrEqualTo(fdsBefore + 2, "no fd leaks into the caller");
        Runtime.Shell("ps -eo args | grep -c '[o]ci-run init' || true").Stdout.Trim().Should().Be("0", "no init process is left");
    }
}
