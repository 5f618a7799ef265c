using LibContainer;
using LibContainer.Cgroups;
using static LibContainer.Tests.CgroupLayoutTests;

namespace LibContainer.Tests;

public sealed class CgroupManagersTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_cgroupsPath_the_container_id_goes_under_our_own_cgroup(string? cgroupsPath)
    {
        var manager = CgroupManagers.ForNewContainer(Hybrid, cgroupsPath, "c1");
        manager.Should().BeOfType<V1Manager>();
        manager.Paths["memory"].Should().Be($"/sys/fs/cgroup/memory{OwnMemory}/c1");
        manager.Paths["devices"].Should().Be("/sys/fs/cgroup/devices/c1");
        manager.Paths["name=systemd"].Should().Be("/sys/fs/cgroup/systemd/c1");
        manager.Paths[""].Should().Be("/sys/fs/cgroup/unified/c1");
    }

    [Fact]
    public void On_a_hybrid_host_every_hierarchy_gets_a_directory()
    {
        var manager = CgroupManagers.ForNewContainer(Hybrid, "/oci/c1", "c1");
        manager.Paths.Keys.Should().BeEquivalentTo(Hybrid.Hierarchies.Select(h => h.Key));
        manager.Paths.Values.Should().OnlyContain(p => p.EndsWith("/oci/c1"));
    }

    [Fact]
    public void On_a_hybrid_host_v1_is_joined_through_tasks_files_and_v2_by_clone()
    {
        var placement = CgroupManagers.ForNewContainer(Hybrid, "/oci/c1", "c1").Placement;
        placement.V1TaskFiles.Should().HaveCount(10)
            .And.Contain("/sys/fs/cgroup/memory/oci/c1/tasks")
            .And.Contain("/sys/fs/cgroup/systemd/oci/c1/tasks")
            .And.NotContain(f => f.StartsWith("/sys/fs/cgroup/unified"));
        placement.V2Directory.Should().Be("/sys/fs/cgroup/unified/oci/c1");
    }

    [Fact]
    public void Co_mounted_controllers_get_one_directory()
    {
        var manager = CgroupManagers.ForNewContainer(Comounted, "/oci/c1", "c1");
        manager.Paths["cpu,cpuacct"].Should().Be("/sys/fs/cgroup/cpu,cpuacct/oci/c1");
        manager.Placement.V2Directory.Should().BeNull("a legacy host has no unified hierarchy");
    }

    [Fact]
    public void On_a_pure_v2_host_the_manager_is_v2()
    {
        var manager = CgroupManagers.ForNewContainer(Unified, null, "c1");
        manager.Should().BeOfType<V2Manager>();
        manager.Paths.Should().Equal(new Dictionary<string, string> { [""] = "/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope/c1" });
        manager.Placement.V1TaskFiles.Should().BeEmpty();
        manager.Placement.V2Directory.Should().Be("/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope/c1");
    }

    [Theory]
    [InlineData("system.slice:oci:c1")]
    [InlineData("machine.slice:libpod:abc")]
    [InlineData(":oci:c1")]
    public void A_systemd_style_path_is_refused_naming_systemd(string cgroupsPath)
    {
        var act = () => CgroupManagers.ForNewContainer(Hybrid, cgroupsPath, "c1");
        act.Should().Throw<ContainerError>().Which.Message.Should()
            .Contain("linux.cgroupsPath").And.Contain($"\"{cgroupsPath}\"").And.Contain("systemd");
    }

    [Theory]
    [InlineData("/")]
    [InlineData("../../..")]
    [InlineData("/a/..")]
    [InlineData(".")]
    public void A_path_that_folds_to_the_hierarchy_root_is_refused(string cgroupsPath)
    {
        var act = () => CgroupManagers.ForNewContainer(Hybrid, cgroupsPath, "c1");
        act.Should().Throw<ContainerError>().Which.Message.Should().Contain("cgroupsPath");
    }

    [Fact]
    public void An_absolute_path_with_a_colon_is_a_plain_cgroupfs_path()
    {
        CgroupManagers.ForNewContainer(Unified, "/weird:name", "c1").Paths[""].Should().Be("/sys/fs/cgroup/weird:name");
    }

    [Fact]
    public void Saved_paths_with_only_the_unified_key_give_a_v2_manager()
    {
        var manager = CgroupManagers.FromPaths(new Dictionary<string, string> { [""] = "/sys/fs/cgroup/c1" });
        manager.Should().BeOfType<V2Manager>();
        manager.Paths[""].Should().Be("/sys/fs/cgroup/c1");
    }

    [Fact]
    public void Saved_paths_with_v1_keys_give_a_v1_manager()
    {
        var hybrid = new Dictionary<string, string> { ["memory"] = "/sys/fs/cgroup/memory/c1", [""] = "/sys/fs/cgroup/unified/c1" };
        var manager = CgroupManagers.FromPaths(hybrid);
        manager.Should().BeOfType<V1Manager>();
        manager.Paths.Should().Equal(hybrid);
        CgroupManagers.FromPaths(new Dictionary<string, string> { ["memory"] = "/m" }).Should().BeOfType<V1Manager>();
    }

    [Fact]
    public void The_saved_driver_decides_the_manager_and_an_old_state_without_one_is_inferred()
    {
        var v1 = new Dictionary<string, string> { ["memory"] = "/m", [""] = "/u" };
        CgroupManagers.FromState("cgroupfs-v1", v1).Should().BeOfType<V1Manager>().Which.Driver.Should().Be("cgroupfs-v1");
        CgroupManagers.FromState("cgroupfs-v2", new Dictionary<string, string> { [""] = "/u" }).Should().BeOfType<V2Manager>()
            .Which.Driver.Should().Be("cgroupfs-v2");
        CgroupManagers.FromState(null, v1).Should().BeOfType<V1Manager>();
        CgroupManagers.FromState("systemd", new Dictionary<string, string> { ["memory"] = "/m/system.slice/a-b.scope", [""] = "/u/system.slice/a-b.scope" })
            .Should().BeOfType<LibContainer.Cgroups.Systemd.SystemdManager>().Which.UnitName.Should().Be("a-b.scope");
        var act = () => CgroupManagers.FromState("cgroupfs-v3", v1);
        act.Should().Throw<ContainerError>().WithMessage("*\"cgroupfs-v3\"*does not know*");
    }

    // ---- a frozen cgroup (read through a fake of the host's files) ----

    private static Func<string, string?> Files(params (string Path, string Text)[] files)
    {
        var map = files.ToDictionary(f => f.Path, f => f.Text);
        return path => map.GetValueOrDefault(path);
    }

    [Theory]
    [InlineData("FROZEN")]
    [InlineData("FREEZING\n")]
    public void A_frozen_v1_cgroup_is_refused_naming_the_field_and_the_directory(string state)
    {
        var files = Files(("/sys/fs/cgroup/freezer/oci/c1/freezer.state", state));
        var act = () => CgroupManagers.ForNewContainer(Hybrid, "/oci/c1", "c1", files);
        act.Should().Throw<ContainerError>().Which.Message.Should()
            .Be("linux.cgroupsPath \"/oci/c1\": /sys/fs/cgroup/freezer/oci/c1 is frozen: thaw it (write THAWED to its freezer.state) or give the container another cgroup");
    }

    [Fact]
    public void A_cgroup_not_made_yet_under_a_frozen_ancestor_is_refused_naming_the_ancestor()
    {
        var files = Files(("/sys/fs/cgroup/freezer/oci/freezer.state", "FROZEN\n"));
        var act = () => CgroupManagers.ForNewContainer(Hybrid, "/oci/pods/c1", "c1", files);
        act.Should().Throw<ContainerError>().Which.Message.Should()
            .Contain("/sys/fs/cgroup/freezer/oci/pods/c1's ancestor /sys/fs/cgroup/freezer/oci is frozen");
    }

    [Fact]
    public void The_nearest_existing_cgroup_decides_for_its_ancestors()
    {
        // The kernel shows an ancestor's freeze in every descendant's freezer.state: the nearest one says it all.
        var files = Files(("/sys/fs/cgroup/freezer/oci/freezer.state", "THAWED\n"), ("/sys/fs/cgroup/freezer/freezer.state", "FROZEN\n"));
        CgroupManagers.ForNewContainer(Hybrid, "/oci/c1", "c1", files).Paths.Should().ContainKey("freezer");
    }

    [Fact]
    public void A_thawed_cgroup_and_other_controllers_state_files_are_fine()
    {
        var files = Files(("/sys/fs/cgroup/freezer/oci/c1/freezer.state", "THAWED\n"), ("/sys/fs/cgroup/memory/oci/c1/freezer.state", "FROZEN\n"),
            ("/sys/fs/cgroup/unified/oci/c1/cgroup.events", "populated 0\nfrozen 0\n"));
        CgroupManagers.ForNewContainer(Hybrid, "/oci/c1", "c1", files).Should().BeOfType<V1Manager>();
    }

    [Fact]
    public void A_frozen_v2_cgroup_is_refused()
    {
        var files = Files(("/sys/fs/cgroup/machine.slice/cgroup.events", "populated 0\nfrozen 1\n"));
        var act = () => CgroupManagers.ForNewContainer(Unified, "/machine.slice/c1", "c1", files);
        act.Should().Throw<ContainerError>().Which.Message.Should()
            .Be("linux.cgroupsPath \"/machine.slice/c1\": /sys/fs/cgroup/machine.slice/c1's ancestor /sys/fs/cgroup/machine.slice is frozen: thaw it (write 0 to its cgroup.freeze) or give the container another cgroup");
    }

    [Fact]
    public void In_hybrid_mode_the_unified_hierarchy_is_checked_too()
    {
        var files = Files(("/sys/fs/cgroup/unified/oci/c1/cgroup.events", "populated 0\nfrozen 1\n"));
        var act = () => CgroupManagers.ForNewContainer(Hybrid, "/oci/c1", "c1", files);
        act.Should().Throw<ContainerError>().Which.Message.Should().Contain("/sys/fs/cgroup/unified/oci/c1 is frozen");
    }
}
