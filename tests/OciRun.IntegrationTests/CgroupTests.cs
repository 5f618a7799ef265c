using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

public sealed class CgroupTests : ContainerTest
{
    [RootFact]
    public void Init_runs_in_the_configured_cgroup_which_delete_removes()
    {
        var id = NewId();
        var bundle = NewBundle(id, "sleep", "100").Write();
        RunDetachedOk(bundle, id);
        var pid = (int)State(id)["pid"]!;
        File.ReadAllLines($"/proc/{pid}/cgroup").Should().NotBeEmpty().And.OnlyContain(l => l.EndsWith($":/{CgroupParent}/{id}"),
            "init is in the container's cgroup in every hierarchy, the cgroup v2 one (cloned into) included");
        CgroupDirs(id).Should().HaveCount(HostCgroups.Hierarchies.Count, "the cgroup is made in every hierarchy")
            .And.OnlyContain(dir => File.ReadAllLines(Path.Combine(dir, "cgroup.procs")).Contains(pid.ToString()));

        Runtime.Run("delete", "--force", id).ExitCode.Should().Be(0);
        CgroupDirs(id).Should().BeEmpty("delete removes the container's cgroup in every hierarchy");
    }

    [RootFact]
    public void Delete_kills_processes_left_in_the_cgroup()
    {
        var id = NewId();
        // Three processes: the shell and two children it waits for.
        var bundle = NewBundle(id, "sh", "-c", "sleep 300 & sleep 300 & wait").Write();
        RunDetachedOk(bundle, id);
        var pids = WaitForProcesses(id, 3);

        Runtime.Run("delete", "--force", id).ExitCode.Should().Be(0);
        pids.Should().OnlyContain(p => IsGone(p));
    }

    [RootFact]
    public void A_cgroup_that_already_holds_processes_is_refused_and_they_live_on()
    {
        var first = NewId();
        RunDetachedOk(NewBundle(first, "sleep", "100"), first);
        var second = NewId();
        var bundle = NewBundle(second, "true");
        bundle.Linux["cgroupsPath"] = $"/{CgroupParent}/{first}";
        var result = Runtime.Run("create", "--bundle", bundle.Write().Dir, second);
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("cgroupsPath").And.Contain("already holds processes");
        Directory.Exists(Path.Combine(Runtime.Root, second)).Should().BeFalse();
        ((string?)State(first)["status"]).Should().Be("running", "the refused create must not touch the other container");
        CgroupDirs(first).Should().NotBeEmpty();
    }

    [RootFact]
    public void The_container_sees_its_own_cgroup_as_the_root_of_its_cgroup_namespace()
    {
        var id = NewId();
        var lines = RunOk(NewBundle(id, "cat", "/proc/self/cgroup"), id).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().NotBeEmpty()
            .And.OnlyContain(l => l.EndsWith(":/"), "the namespace is made once init is in every cgroup of the container");
    }
}
