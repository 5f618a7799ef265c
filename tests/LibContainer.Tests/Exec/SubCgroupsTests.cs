using LibContainer;
using LibContainer.Exec;

namespace LibContainer.Tests.Exec;

public sealed class SubCgroupsTests
{
    private static readonly Dictionary<string, string> Hybrid = new()
    {
        ["cpu,cpuacct"] = "/sys/fs/cgroup/cpu,cpuacct/c1",
        ["memory"] = "/sys/fs/cgroup/memory/c1",
        ["name=systemd"] = "/sys/fs/cgroup/systemd/c1",
        [""] = "/sys/fs/cgroup/unified/c1",
    };

    private static Dictionary<string, string> Apply(IReadOnlyDictionary<string, string> container, params string[] flags) =>
        SubCgroups.Apply(container, SubCgroups.Parse(flags), _ => true);

    [Fact]
    public void A_path_alone_is_below_the_container_in_every_hierarchy()
    {
        Apply(Hybrid, "a/b").Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["cpu,cpuacct"] = "/sys/fs/cgroup/cpu,cpuacct/c1/a/b",
            ["memory"] = "/sys/fs/cgroup/memory/c1/a/b",
            ["name=systemd"] = "/sys/fs/cgroup/systemd/c1/a/b",
            [""] = "/sys/fs/cgroup/unified/c1/a/b",
        });
        Apply(new Dictionary<string, string> { [""] = "/sys/fs/cgroup/c1" }, "x").Should().Equal(new Dictionary<string, string> { [""] = "/sys/fs/cgroup/c1/x" });
    }

    [Fact]
    public void Named_controllers_move_only_their_hierarchies_a_shared_one_by_either_name()
    {
        Apply(Hybrid, "cpuacct,memory:x", "name=systemd:y").Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["cpu,cpuacct"] = "/sys/fs/cgroup/cpu,cpuacct/c1/x",
            ["memory"] = "/sys/fs/cgroup/memory/c1/x",
            ["name=systemd"] = "/sys/fs/cgroup/systemd/c1/y",
            [""] = "/sys/fs/cgroup/unified/c1",
        });
    }

    [Theory]
    [InlineData("is not a cgroup below the container's", "..")]
    [InlineData("is not a cgroup below the container's", "../c2")]
    [InlineData("is not a cgroup below the container's", "a/../../c1x")]
    [InlineData("is not [CONTROLLER:]PATH", "a:b:c")]
    [InlineData("is not [CONTROLLER:]PATH", "memory:")]
    [InlineData("has an empty controller name", ",memory:x")]
    [InlineData("no cgroup for the controller \"blkio\"", "blkio:x")]
    [InlineData("needs a CONTROLLER: prefix", "x", "memory:y")]
    public void A_bad_flag_is_refused_by_what_is_wrong(string error, params string[] flags)
    {
        var act = () => Apply(Hybrid, flags);
        act.Should().Throw<ContainerError>().WithMessage($"--cgroup: *{error}*");
    }

    [Fact]
    public void A_sub_cgroup_must_exist_exec_makes_none()
    {
        var act = () => SubCgroups.Apply(Hybrid, SubCgroups.Parse(["memory:gone"]), dir => dir != "/sys/fs/cgroup/memory/c1/gone");
        act.Should().Throw<ContainerError>().WithMessage("--cgroup: the container has no cgroup \"gone\": /sys/fs/cgroup/memory/c1/gone does not exist*");
    }
}
