using LibContainer;
using LibContainer.Cgroups;
using LibContainer.Cgroups.Systemd;
using static LibContainer.Tests.CgroupLayoutTests;

namespace LibContainer.Tests.Cgroups;

public sealed class SystemdPathTests
{
    [Theory]
    [InlineData("system.slice:docker:abc", "system.slice", "docker-abc.scope", "system.slice/docker-abc.scope")]
    [InlineData(":crio:abc", "system.slice", "crio-abc.scope", "system.slice/crio-abc.scope")] // runc's default slice
    [InlineData("machine-lxc.slice:p:n", "machine-lxc.slice", "p-n.scope", "machine.slice/machine-lxc.slice/p-n.scope")]
    [InlineData("a-b-c.slice:p:n", "a-b-c.slice", "p-n.scope", "a.slice/a-b.slice/a-b-c.slice/p-n.scope")]
    [InlineData("-.slice:p:n", "-.slice", "p-n.scope", "p-n.scope")] // the root slice
    [InlineData("system.slice::n", "system.slice", "-n.scope", "system.slice/-n.scope")] // runc joins an empty prefix as it is
    [InlineData("user.slice:p:my.slice", "user.slice", "my.slice", "user.slice/my.slice")] // a name ending .slice is the unit
    public void Slice_prefix_name_becomes_runcs_unit_and_cgroup(string cgroupsPath, string slice, string unit, string cgroup)
    {
        var path = SystemdPath.Parse(cgroupsPath, "id");
        path.Slice.Should().Be(slice);
        path.UnitName.Should().Be(unit);
        path.CgroupPath.Should().Be(cgroup);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_cgroupsPath_the_unit_is_runc_ID_scope_in_system_slice(string? cgroupsPath)
    {
        var path = SystemdPath.Parse(cgroupsPath, "c1");
        path.UnitName.Should().Be("runc-c1.scope");
        path.CgroupPath.Should().Be("system.slice/runc-c1.scope");
    }

    [Theory]
    [InlineData("/oci/c1")]
    [InlineData("system.slice:docker")]
    [InlineData("a:b:c:d")]
    public void A_path_not_of_the_form_slice_prefix_name_is_refused_in_runcs_words(string cgroupsPath)
    {
        var act = () => SystemdPath.Parse(cgroupsPath, "c1");
        act.Should().Throw<ContainerError>()
            .WithMessage($"linux.cgroupsPath: expected cgroupsPath to be of format \"slice:prefix:name\" for systemd cgroups, got \"{cgroupsPath}\" instead");
    }

    [Theory]
    [InlineData("system:p:n")]
    [InlineData("a--b.slice:p:n")]
    [InlineData("-a.slice:p:n")]
    [InlineData("a/b.slice:p:n")]
    [InlineData(".slice:p:n")]
    public void A_bad_slice_name_is_refused(string cgroupsPath)
    {
        var act = () => SystemdPath.Parse(cgroupsPath, "c1");
        act.Should().Throw<ContainerError>().WithMessage("*invalid slice name*");
    }

    [Theory]
    [InlineData("system.slice:p:")]
    [InlineData("system.slice:p:a/b")]
    public void An_empty_or_nested_name_is_refused(string cgroupsPath)
    {
        var act = () => SystemdPath.Parse(cgroupsPath, "c1");
        act.Should().Throw<ContainerError>().WithMessage("linux.cgroupsPath*");
    }

    [Fact]
    public void The_units_directories_are_beside_pid_1s_init_scope_in_every_hierarchy()
    {
        // systemd in a container whose cgroups are /lane on the host: its units are below /lane.
        const string init = "12:memory:/lane/init.scope\n1:name=systemd:/lane/init.scope\n0::/lane/init.scope\n";
        var manager = SystemdCgroups.ForNewContainer(Hybrid, "system.slice:p:n", "c1", 42, init, () => throw new InvalidOperationException("no bus in this test"));
        manager.UnitName.Should().Be("p-n.scope");
        manager.Paths["memory"].Should().Be("/sys/fs/cgroup/memory/lane/system.slice/p-n.scope");
        manager.Paths["name=systemd"].Should().Be("/sys/fs/cgroup/systemd/lane/system.slice/p-n.scope");
        manager.Paths[""].Should().Be("/sys/fs/cgroup/unified/lane/system.slice/p-n.scope");
        // A hierarchy PID 1 does not list is taken from its root.
        manager.Paths["devices"].Should().Be("/sys/fs/cgroup/devices/system.slice/p-n.scope");
        manager.Paths.Keys.Should().BeEquivalentTo(Hybrid.Hierarchies.Select(h => h.Key));
    }

    [Fact]
    public void On_a_v2_host_the_unit_has_the_unified_directory_alone()
    {
        var manager = SystemdCgroups.ForNewContainer(Unified, "system.slice:p:n", "c1", 42, "0::/init.scope\n", () => throw new InvalidOperationException());
        manager.Paths.Should().Equal(new Dictionary<string, string> { [""] = "/sys/fs/cgroup/system.slice/p-n.scope" });
        manager.Placement.V2Directory.Should().Be("/sys/fs/cgroup/system.slice/p-n.scope");
    }

    [Fact]
    public void Without_the_flag_a_systemd_path_is_refused_naming_it()
    {
        var act = () => CgroupManagers.ForNewContainer(Hybrid, "system.slice:p:n", "c1", _ => null);
        act.Should().Throw<ContainerError>().WithMessage("*\"system.slice:p:n\"*--systemd-cgroup*");
    }

    [Theory]
    [InlineData("252.39-1~deb12u1", 252)]
    [InlineData("v245.4-1.fc32", 245)]
    [InlineData("245", 245)]
    [InlineData("", 0)]
    [InlineData(null, 0)]
    public void Systemds_version_is_its_first_number(string? text, int version) => SystemdVersion.Parse(text).Should().Be(version);
}
