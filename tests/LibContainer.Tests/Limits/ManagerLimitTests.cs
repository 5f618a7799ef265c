using LibContainer.Tests.Cgroups;
using LibContainer.Cgroups;
using static LibContainer.Tests.Limits.ZeroMeansUnsetTests;

namespace LibContainer.Tests.Limits;

/// <summary>Where the managers write: a v1 controller in its hierarchy; on a hybrid host, one bound to cgroup v2 in the unified tree, enabled first.</summary>
public sealed class ManagerLimitTests
{
    private readonly FakeCgroupFiles _files = new();

    [Fact]
    public void On_a_hybrid_host_hugepages_bound_to_v2_are_enabled_and_limited_in_the_unified_tree()
    {
        _files.Files["/sys/fs/cgroup/unified/cgroup.controllers"] = "hugetlb\n";
        _files.Files["/sys/fs/cgroup/unified/cgroup.subtree_control"] = "\n";
        _files.Files["/sys/fs/cgroup/unified/box/cgroup.controllers"] = "\n";
        _files.Files["/sys/fs/cgroup/unified/box/hugetlb.2MB.max"] = "max\n";
        _files.Files["/sys/fs/cgroup/pids/box/pids.max"] = "max\n";
        var manager = new V1Manager(new Dictionary<string, string> { ["pids"] = "/sys/fs/cgroup/pids/box", [""] = "/sys/fs/cgroup/unified/box" }, _files);

        manager.SetResources(Read("""{ "pids": { "limit": 20 }, "hugepageLimits": [{ "pageSize": "2MB", "limit": 2097152 }] }"""));

        // The controller is enabled while the plan is made, before any limit is written.
        _files.Attempts.Should().Equal(
            "write /sys/fs/cgroup/unified/cgroup.subtree_control +hugetlb",
            "write /sys/fs/cgroup/pids/box/pids.max 20",
            "write /sys/fs/cgroup/unified/box/hugetlb.2MB.max 2097152");
    }

    [Fact]
    public void On_a_v1_host_a_controller_in_no_hierarchy_is_an_error_naming_the_field()
    {
        var manager = new V1Manager(new Dictionary<string, string> { ["memory"] = "/sys/fs/cgroup/memory/box" }, _files);
        FluentActions.Invoking(() => manager.SetResources(Read("""{ "pids": { "limit": 20 } }""")))
            .Should().Throw<ContainerError>().WithMessage("linux.resources.pids.limit: this host has no pids cgroup controller*");
        _files.Attempts.Should().BeEmpty();
    }

    [Fact]
    public void A_v2_container_uses_the_controllers_its_cgroup_has()
    {
        _files.Files["/sys/fs/cgroup/box/cgroup.controllers"] = "cpu memory pids\n";
        _files.Files["/sys/fs/cgroup/box/memory.max"] = "max\n";
        _files.Files["/sys/fs/cgroup/box/memory.swap.max"] = "max\n";
        var manager = new V2Manager("/sys/fs/cgroup/box", _files);

        manager.SetResources(Read("""{ "memory": { "limit": 1048576 } }"""));
        _files.Attempts.Should().Equal("write /sys/fs/cgroup/box/memory.max 1048576");
        FluentActions.Invoking(() => manager.SetResources(Read("""{ "hugepageLimits": [{ "pageSize": "2MB", "limit": 2097152 }] }""")))
            .Should().Throw<ContainerError>().WithMessage("linux.resources.hugepageLimits[0]: this host has no hugetlb cgroup controller*");
    }

    [Fact]
    public void Controllers_are_enabled_from_the_root_down_to_the_parent()
    {
        _files.Files["/sys/fs/cgroup/cgroup.controllers"] = "cpu memory pids";
        _files.Files["/sys/fs/cgroup/cgroup.subtree_control"] = "cpu";
        _files.Files["/sys/fs/cgroup/a/cgroup.controllers"] = "cpu";
        _files.Files["/sys/fs/cgroup/a/cgroup.subtree_control"] = "";
        _files.Files["/sys/fs/cgroup/a/box/cgroup.controllers"] = "";

        V2Tree.Enable(_files, "/sys/fs/cgroup/a/box", V2Tree.Available(_files, "/sys/fs/cgroup/a/box"), bestEffort: true);

        _files.Attempts.Should().Equal(
            "write /sys/fs/cgroup/cgroup.subtree_control +memory", "write /sys/fs/cgroup/cgroup.subtree_control +pids",
            "write /sys/fs/cgroup/a/cgroup.subtree_control +cpu", "write /sys/fs/cgroup/a/cgroup.subtree_control +memory",
            "write /sys/fs/cgroup/a/cgroup.subtree_control +pids");
    }

    [Fact]
    public void An_update_skips_device_rules_and_restores_on_failure()
    {
        _files.Files["/sys/fs/cgroup/box/cgroup.controllers"] = "memory pids";
        _files.Files["/sys/fs/cgroup/box/pids.max"] = "max\n";
        _files.Files["/sys/fs/cgroup/box/memory.max"] = "max\n";
        _files.Files["/sys/fs/cgroup/box/memory.swap.max"] = "max\n";
        _files.WriteErrors["/sys/fs/cgroup/box/memory.max"] = 16;
        var manager = new V2Manager("/sys/fs/cgroup/box", _files);

        FluentActions.Invoking(() => manager.Update(Read("""{ "pids": { "limit": 5 }, "memory": { "limit": 4096 }, "devices": [{ "allow": false, "access": "rwm" }] }""")))
            .Should().Throw<ContainerError>().WithMessage("linux.resources.memory.limit: write \"4096\" to /sys/fs/cgroup/box/memory.max: Device or resource busy (the previous limits are back)");
        _files.Files["/sys/fs/cgroup/box/pids.max"].Should().Be("max");
    }
}
