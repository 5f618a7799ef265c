using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

public sealed class StressTests : ContainerTest
{
    private static int Cycles => int.TryParse(Environment.GetEnvironmentVariable("OCIRUN_STRESS_CYCLES"), out var n) ? n : 1000;

    [RootFact]
    [Trait("Category", "Stress")]
    public void A_thousand_create_start_delete_cycles_leak_nothing()
    {
        var mountsBefore = File.ReadAllLines("/proc/self/mountinfo").Length;
        var bundle = NewBundle("stress", "true").Write();
        for (var i = 0; i < Cycles; i++)
        {
            var id = $"stress-{i}";
            var create = Detached("create", "--bundle", bundle.Dir, id);
            create.ExitCode.Should().Be(0, $"cycle {i}: {create}");
            Runtime.Run("start", id).ExitCode.Should().Be(0, $"cycle {i}");
            WaitForStatus(id, "stopped");
            Runtime.Run("delete", id).ExitCode.Should().Be(0, $"cycle {i}");
        }

        File.ReadAllLines("/proc/self/mountinfo").Length.Should().Be(mountsBefore, "no mount is left on the host");
        Directory.EnumerateFileSystemEntries(Runtime.Root).Should().BeEmpty("no state directory is left");
        CgroupDirs("stress").Should().BeEmpty("no cgroup is left");
        var last = NewId("after-stress");
        RunOk(NewBundle(last, "ls", "/proc/self/fd"), last).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Should().Equal(["0", "1", "2", "3"], "after a thousand containers, still no runtime fd reaches the process (3 is ls's own)");
        // Only this test's inits: other runtimes' tests on the machine may have containers waiting.
        Runtime.Shell($"for p in $(pgrep -x -f 'oci-run init'); do grep -qs ':/{CgroupParent}/stress$' /proc/$p/cgroup && echo $p; done | wc -l")
            .Stdout.Trim().Should().Be("0", "no init process of the stress cycles is left");
    }
}
