using LibContainer.State;

namespace LibContainer.Tests;

/// <summary>Only what runs without root: list and state over a state directory.</summary>
public sealed class ContainersTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ocirun-unit-").FullName;

    public void Dispose() => Directory.Delete(_root, true);

    private void Save(string id, int pid)
    {
        var store = new StateStore(_root);
        using (store.CreateDirectory(id))
            store.Save(new ContainerState { Id = id, Pid = pid, PidStartTime = 1, Bundle = "/b", Rootfs = "/b/rootfs", Created = "2026-01-02T03:04:05Z", Owner = 0 });
    }

    [Fact]
    public void List_skips_a_half_created_container_and_shows_a_dead_one_as_stopped()
    {
        Save("dead", pid: 0);
        using (new StateStore(_root).CreateDirectory("half-created")) { }
        var list = new Containers(_root).List();
        list.Should().ContainSingle();
        list[0].Id.Should().Be("dead");
        list[0].Status.Should().Be("stopped");
        list[0].Pid.Should().Be(0);
        list[0].Owner.Should().Be("root");
    }

    [Fact]
    public void State_and_list_say_paused_for_a_live_container_whose_cgroup_is_frozen()
    {
        var freezer = Directory.CreateDirectory(Path.Combine(_root, "freezer-c1")).FullName;
        File.WriteAllText(Path.Combine(freezer, "freezer.state"), "FROZEN\n");
        var me = ProcessProbe.Read(Environment.ProcessId)!.Value;
        var store = new StateStore(Path.Combine(_root, "state"));
        using (store.CreateDirectory("c1"))
            store.Save(new ContainerState
            {
                Id = "c1", Pid = Environment.ProcessId, PidStartTime = me.StartTime, Bundle = "/b", Rootfs = "/b/rootfs",
                Created = "2026-01-02T03:04:05Z", CgroupPaths = new() { ["freezer"] = freezer }, CgroupDriver = "cgroupfs-v1",
            });
        var containers = new Containers(Path.Combine(_root, "state"));
        containers.State("c1").Status.Should().Be("paused");
        containers.State("c1").Pid.Should().Be(Environment.ProcessId);
        containers.List().Should().ContainSingle().Which.Status.Should().Be("paused");
        File.WriteAllText(Path.Combine(freezer, "freezer.state"), "THAWED\n");
        containers.State("c1").Status.Should().Be("running");
    }

    [Fact]
    public void State_of_an_unknown_container_says_it_does_not_exist()
    {
        var act = () => new Containers(_root).State("nope");
        act.Should().Throw<ContainerError>().WithMessage("container \"nope\" does not exist");
    }

    [Fact]
    public void State_of_a_stopped_container_reports_pid_zero()
    {
        Save("c1", pid: 999_999);
        var state = new Containers(_root).State("c1");
        state.Status.Should().Be("stopped");
        state.Pid.Should().Be(0, "runc reports no PID for a stopped container");
        state.OciVersion.Should().Be(Containers.SpecVersion);
    }
}
