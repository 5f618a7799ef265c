using LibContainer;
using LibContainer.Cgroups;

namespace LibContainer.Tests;

public sealed class CgroupLayoutTests
{
    // `cat /proc/self/mountinfo` on the development machine: v1 controllers each on
    // /sys/fs/cgroup/NAME, and cgroup2 on /sys/fs/cgroup/unified.
    internal const string HybridMountinfo = """
        22 27 0:21 / /proc rw,relatime - proc proc rw
        23 27 0:22 / /sys rw,relatime - sysfs sysfs rw
        24 27 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw,size=12334556k,nr_inodes=3083639,mode=755
        25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24684100k
        26 24 0:24 / /dev/pts rw,relatime - devpts devpts rw,mode=600,ptmxmode=000
        27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534
        28 27 0:25 / /mnt/sandboxing/model_tools_env/v1/python ro,nosuid,nodev,relatime - tmpfs model_tools_unavailable ro,size=4k,mode=755
        29 26 0:26 / /dev/pts rw,relatime - devpts devpts rw,mode=600,ptmxmode=000
        30 25 0:27 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24684100k
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
        34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
        37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
        38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
        39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        42 31 0:39 / /sys/fs/cgroup/hugetlb rw,relatime - cgroup cgroup rw,hugetlb

        """;

    // `cat /proc/self/cgroup` on the same machine: only the memory cgroup is not the root.
    internal const string OwnMemory = "/process_api/fa8b532163a0ca6ee7256c4b3fffd2b4";

    internal const string HybridCgroup = $"""
        10:hugetlb:/
        9:name=systemd:/
        8:pids:/
        7:blkio:/
        6:freezer:/
        5:devices:/
        4:memory:{OwnMemory}
        3:cpuset:/
        2:cpuacct:/
        1:cpu:/
        0::/

        """;

    // A systemd host with cgroup v2 only.
    internal const string UnifiedMountinfo = """
        22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw,errors=remount-ro
        23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
        24 22 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw
        26 24 0:24 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
        """;

    internal const string UnifiedCgroup = "0::/user.slice/user-1000.slice/session-2.scope\n";

    // An older distribution: cpu and cpuacct co-mounted, net_cls,net_prio too, systemd's named hierarchy with xattr.
    internal const string ComountedMountinfo = """
        25 20 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
        26 25 0:23 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,xattr,release_agent=/usr/lib/systemd/systemd-cgroups-agent,name=systemd
        28 25 0:25 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,cpu,cpuacct
        29 25 0:26 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,net_cls,net_prio
        30 25 0:27 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,cpuset,clone_children
        31 25 0:28 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,memory
        32 25 0:29 / /sys/fs/cgroup/devices rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,devices
        """;

    internal const string ComountedCgroup = """
        7:devices:/user.slice
        6:memory:/user.slice/user-1000.slice/session-3.scope
        5:cpuset:/
        4:net_cls,net_prio:/
        3:cpu,cpuacct:/user.slice
        1:name=systemd:/user.slice/user-1000.slice/session-3.scope
        """;

    internal static CgroupLayout Hybrid => CgroupLayout.Parse(HybridMountinfo, HybridCgroup);
    internal static CgroupLayout Unified => CgroupLayout.Parse(UnifiedMountinfo, UnifiedCgroup);
    internal static CgroupLayout Comounted => CgroupLayout.Parse(ComountedMountinfo, ComountedCgroup);

    private static Hierarchy In(CgroupLayout layout, string key) => layout.Hierarchies.Single(h => h.Key == key);

    // ---- this machine: hybrid ----

    [Fact]
    public void This_machines_layout_is_hybrid_with_every_hierarchy()
    {
        var layout = Hybrid;
        layout.Mode.Should().Be(CgroupMode.Hybrid);
        layout.Hierarchies.Select(h => h.Key).Should().BeEquivalentTo(
            "cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "name=systemd", "", "hugetlb");
    }

    [Fact]
    public void Each_hierarchy_is_found_at_its_mount_point()
    {
        var layout = Hybrid;
        In(layout, "memory").Should().Be(new Hierarchy("memory", "/sys/fs/cgroup/memory", "/", false));
        In(layout, "name=systemd").MountPoint.Should().Be("/sys/fs/cgroup/systemd");
        In(layout, "").Should().Be(new Hierarchy("", "/sys/fs/cgroup/unified", "/", true));
    }

    [Fact]
    public void Our_own_cgroups_are_read_from_proc_self_cgroup()
    {
        var own = Hybrid.OwnPaths;
        own["memory"].Should().Be(OwnMemory);
        own["devices"].Should().Be("/");
        own["name=systemd"].Should().Be("/");
        own[""].Should().Be("/", "the 0:: line is the unified hierarchy");
    }

    [Fact]
    public void A_relative_path_lands_under_our_own_cgroup()
    {
        var layout = Hybrid;
        layout.HostDirectory(In(layout, "memory"), "c1").Should().Be($"/sys/fs/cgroup/memory{OwnMemory}/c1");
        layout.HostDirectory(In(layout, "devices"), "c1").Should().Be("/sys/fs/cgroup/devices/c1");
        layout.HostDirectory(In(layout, ""), "c1").Should().Be("/sys/fs/cgroup/unified/c1");
        layout.HostDirectory(In(layout, "memory"), "pods/c1").Should().Be($"/sys/fs/cgroup/memory{OwnMemory}/pods/c1");
    }

    [Fact]
    public void An_absolute_path_is_taken_from_the_hierarchy_root()
    {
        var layout = Hybrid;
        layout.HostDirectory(In(layout, "memory"), "/a/b").Should().Be("/sys/fs/cgroup/memory/a/b");
        layout.HostDirectory(In(layout, "name=systemd"), "/a/b").Should().Be("/sys/fs/cgroup/systemd/a/b");
        layout.HostDirectory(In(layout, ""), "/a/b").Should().Be("/sys/fs/cgroup/unified/a/b");
    }

    [Theory]
    [InlineData("/../../../etc", "/sys/fs/cgroup/memory/etc")]
    [InlineData("/a/../../b", "/sys/fs/cgroup/memory/b")]
    [InlineData("//a/./b//", "/sys/fs/cgroup/memory/a/b")]
    public void Dot_dot_cannot_climb_out_of_the_mount_point(string cgroupsPath, string expected)
    {
        var layout = Hybrid;
        var dir = layout.HostDirectory(In(layout, "memory"), cgroupsPath);
        dir.Should().Be(expected);
        dir.Should().StartWith("/sys/fs/cgroup/memory/").And.NotContain("..");
    }

    [Theory]
    [InlineData("../../../../x", "/x")]
    [InlineData("../../../../../../etc", "/etc")]
    [InlineData("x/../../y", "/y")]
    [InlineData("a/../b/./c", "/b/c")]
    [InlineData("..", "")]
    [InlineData(".", "")]
    public void A_relative_path_stays_below_our_own_cgroup_whatever_dot_dot_it_holds(string cgroupsPath, string below)
    {
        var layout = Hybrid;
        layout.HostDirectory(In(layout, "memory"), cgroupsPath).Should().Be($"/sys/fs/cgroup/memory{OwnMemory}{below}");
        var v2 = Unified;
        v2.HostDirectory(In(v2, ""), cgroupsPath).Should().Be($"/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope{below}");
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("/", "/")]
    [InlineData("/../..", "/")]
    [InlineData("a/b", "a/b")]
    [InlineData("../../../../x", "x")]
    [InlineData("./a/../..", ".")]
    [InlineData("..", ".")]
    [InlineData("/a//b/./c/..", "/a/b")]
    [InlineData("a/", "a")]
    public void CleanPath_folds_like_runcs(string path, string expected)
    {
        CgroupLayout.CleanPath(path).Should().Be(expected);
    }

    [Fact]
    public void Mountinfo_optional_fields_and_escaped_spaces_are_handled()
    {
        var layout = CgroupLayout.Parse(
            "30 21 0:26 / /run/my\\040cgroups rw,relatime shared:9 master:3 - cgroup cgroup rw,memory\n",
            "4:memory:/\n");
        layout.Hierarchies.Should().Equal(new Hierarchy("memory", "/run/my cgroups", "/", false));
    }

    [Fact]
    public void A_hierarchy_mounted_twice_is_used_at_its_first_mount_point()
    {
        var layout = CgroupLayout.Parse(
            "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n" +
            "90 27 0:32 / /var/lib/other/memory rw - cgroup cgroup rw,memory\n",
            "4:memory:/\n");
        layout.Hierarchies.Should().ContainSingle().Which.MountPoint.Should().Be("/sys/fs/cgroup/memory");
    }

    [Fact]
    public void No_cgroup_filesystem_is_an_error_that_says_what_to_mount()
    {
        var act = () => CgroupLayout.Parse("27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n", "");
        act.Should().Throw<ContainerError>().Which.Message.Should().Contain("cgroup2");
    }

    // ---- pure v2 ----

    [Fact]
    public void A_pure_v2_host_is_unified_with_one_hierarchy()
    {
        var layout = Unified;
        layout.Mode.Should().Be(CgroupMode.Unified);
        layout.Hierarchies.Should().Equal(new Hierarchy("", "/sys/fs/cgroup", "/", true));
        layout.OwnPaths[""].Should().Be("/user.slice/user-1000.slice/session-2.scope");
    }

    [Fact]
    public void On_v2_relative_and_absolute_paths_resolve_in_the_unified_tree()
    {
        var layout = Unified;
        var v2 = In(layout, "");
        layout.HostDirectory(v2, "c1").Should().Be("/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope/c1");
        layout.HostDirectory(v2, "/machine.slice/c1").Should().Be("/sys/fs/cgroup/machine.slice/c1");
    }

    // ---- co-mounted controllers (legacy) ----

    [Fact]
    public void Co_mounted_controllers_share_one_key_as_proc_self_cgroup_spells_it()
    {
        var layout = Comounted;
        layout.Mode.Should().Be(CgroupMode.Legacy);
        layout.Hierarchies.Select(h => h.Key).Should().BeEquivalentTo(
            "name=systemd", "cpu,cpuacct", "net_cls,net_prio", "cpuset", "memory", "devices");
        layout.OwnPaths.Keys.Should().BeEquivalentTo(layout.Hierarchies.Select(h => h.Key), "every hierarchy must find our own cgroup");
    }

    [Fact]
    public void A_co_mounted_hierarchy_resolves_under_its_combined_mount_point()
    {
        var layout = Comounted;
        layout.HostDirectory(In(layout, "cpu,cpuacct"), "c1").Should().Be("/sys/fs/cgroup/cpu,cpuacct/user.slice/c1");
        layout.HostDirectory(In(layout, "memory"), "c1").Should().Be("/sys/fs/cgroup/memory/user.slice/user-1000.slice/session-3.scope/c1");
        layout.HostDirectory(In(layout, "name=systemd"), "/a").Should().Be("/sys/fs/cgroup/systemd/a");
    }

    // ---- inside another container: the mount shows a sub-tree ----

    [Fact]
    public void When_the_mount_root_is_a_sub_cgroup_it_is_not_repeated()
    {
        var layout = CgroupLayout.Parse(
            "35 31 0:32 /docker/abc /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory\n",
            "4:memory:/docker/abc\n");
        layout.HostDirectory(In(layout, "memory"), "c1").Should().Be("/sys/fs/cgroup/memory/c1");
        layout.HostDirectory(In(layout, "memory"), "../../x").Should().Be("/sys/fs/cgroup/memory/x");
        layout.HostDirectory(In(layout, "memory"), ".").Should().Be("/sys/fs/cgroup/memory");
    }
}
