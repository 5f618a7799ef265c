using LibContainer;
using LibContainer.Cgroups;

namespace LibContainer.Tests;

public sealed class CgroupLayoutTests
{
    // This machine's shape: v1 controllers plus a cgroup2 mount at /sys/fs/cgroup/unified.
    private const string HybridMountinfo = """
        21 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
        30 21 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
        31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate
        32 30 0:28 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,xattr,name=systemd
        33 30 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,cpu,cpuacct
        34 30 0:30 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,memory
        35 30 0:31 / /sys/fs/cgroup/devices rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,devices
        """;

    private const string HybridCgroup = """
        5:devices:/
        4:memory:/process_api/abc
        3:cpu,cpuacct:/
        2:name=systemd:/
        0::/
        """;

    private static CgroupLayout Hybrid => CgroupLayout.Parse(HybridMountinfo, HybridCgroup);

    [Fact]
    public void A_hybrid_host_is_detected_with_every_hierarchy()
    {
        var layout = Hybrid;
        layout.Mode.Should().Be(CgroupMode.Hybrid);
        layout.Hierarchies.Select(h => h.Key).Should().BeEquivalentTo("", "name=systemd", "cpu,cpuacct", "memory", "devices");
    }

    [Fact]
    public void A_relative_path_lands_under_our_own_cgroup_and_an_absolute_one_at_the_root()
    {
        var memory = Hybrid.Hierarchies.Single(h => h.Key == "memory");
        Hybrid.HostDirectory(memory, "c1").Should().Be("/sys/fs/cgroup/memory/process_api/abc/c1");
        Hybrid.HostDirectory(memory, "/a/b").Should().Be("/sys/fs/cgroup/memory/a/b");
    }

    [Fact]
    public void Dot_dot_cannot_climb_out_of_the_hierarchy()
    {
        var devices = Hybrid.Hierarchies.Single(h => h.Key == "devices");
        Hybrid.HostDirectory(devices, "/../../../etc").Should().Be("/sys/fs/cgroup/devices/etc");
    }

    [Fact]
    public void A_pure_v2_host_is_unified()
    {
        var layout = CgroupLayout.Parse(
            "30 21 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate\n",
            "0::/user.slice/session-1.scope\n");
        layout.Mode.Should().Be(CgroupMode.Unified);
        var manager = CgroupManagers.ForNewContainer(layout, null, "c1");
        manager.Should().BeOfType<V2Manager>();
        manager.Paths[""].Should().Be("/sys/fs/cgroup/user.slice/session-1.scope/c1");
        manager.Placement.V1TaskFiles.Should().BeEmpty();
        manager.Placement.V2Directory.Should().Be("/sys/fs/cgroup/user.slice/session-1.scope/c1");
    }

    [Fact]
    public void On_a_hybrid_host_v1_is_joined_through_tasks_files_and_v2_by_clone()
    {
        var manager = CgroupManagers.ForNewContainer(Hybrid, "/oci/c1", "c1");
        manager.Placement.V1TaskFiles.Should().Contain("/sys/fs/cgroup/memory/oci/c1/tasks")
            .And.Contain("/sys/fs/cgroup/cpu,cpuacct/oci/c1/tasks")
            .And.HaveCount(4);
        manager.Placement.V2Directory.Should().Be("/sys/fs/cgroup/unified/oci/c1");
    }

    [Fact]
    public void A_systemd_path_is_refused_until_the_driver_exists()
    {
        var act = () => CgroupManagers.ForNewContainer(Hybrid, "system.slice:oci:c1", "c1");
        act.Should().Throw<ContainerError>().Which.Message.Should().Contain("systemd");
    }

    [Fact]
    public void Saved_paths_give_back_the_right_manager()
    {
        CgroupManagers.FromPaths(new Dictionary<string, string> { [""] = "/sys/fs/cgroup/c1" }).Should().BeOfType<V2Manager>();
        CgroupManagers.FromPaths(new Dictionary<string, string> { ["memory"] = "/m", [""] = "/u" }).Should().BeOfType<V1Manager>();
    }
}
