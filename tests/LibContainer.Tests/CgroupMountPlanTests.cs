using LibContainer.Cgroups;
using LibContainer.Kernel;
using LibContainer.Processes;
using MS = LibContainer.Interop.MS;

namespace LibContainer.Tests;

public sealed class CgroupMountPlanTests
{
    // runc's default cgroup mount.
    private static readonly string[] DefaultOptions = ["nosuid", "noexec", "nodev", "relatime", "ro"];

    private static MountOptions Options(params string[] options) => MountOptions.Parse(options, "mounts[6].options");

    private static readonly List<CgroupMountSource> PureV2 = [new("", "/sys/fs/cgroup/oci/c1")];

    private static readonly List<CgroupMountSource> Hybrid =
        [new("memory", "/sys/fs/cgroup/memory/oci/c1"), new("cpu,cpuacct", "/sys/fs/cgroup/cpu,cpuacct/oci/c1"), new("unified", "/sys/fs/cgroup/unified/oci/c1")];

    [Fact]
    public void On_pure_v2_with_a_cgroup_namespace_a_new_cgroup2_takes_the_source_and_every_flag()
    {
        var plan = CgroupMountPlan.For(PureV2, "cgroup", Options(DefaultOptions), cgroupNamespace: true);
        plan.Kind.Should().Be(CgroupMountKind.Cgroup2);
        plan.Source.Should().Be("cgroup", "mountinfo shows the config's source, as with runc");
        plan.FsType.Should().Be("cgroup2");
        plan.MountFlags.Should().Be(MS.NOSUID | MS.NOEXEC | MS.NODEV | MS.RELATIME | MS.RDONLY);
        plan.Data.Should().BeEmpty();
        (plan.AttrSet | plan.AttrClear).Should().Be(0, "a new filesystem needs no second step");
    }

    [Fact]
    public void Without_a_source_the_new_cgroup2_is_called_cgroup()
    {
        CgroupMountPlan.For(PureV2, null, Options("ro"), cgroupNamespace: true).Source.Should().Be("cgroup");
        CgroupMountPlan.For(PureV2, "", Options("ro"), cgroupNamespace: true).Source.Should().Be("cgroup");
    }

    [Fact]
    public void Filesystem_options_go_to_the_new_cgroup2_as_data()
    {
        var plan = CgroupMountPlan.For(PureV2, "cgroup2", Options("nosuid", "nsdelegate"), cgroupNamespace: true);
        plan.Source.Should().Be("cgroup2");
        plan.MountFlags.Should().Be(MS.NOSUID);
        plan.Data.Should().Be("nsdelegate");
    }

    [Fact]
    public void On_pure_v2_without_a_cgroup_namespace_the_containers_directory_is_bound_then_given_the_flags()
    {
        var plan = CgroupMountPlan.For(PureV2, "cgroup", Options(DefaultOptions), cgroupNamespace: false);
        plan.Kind.Should().Be(CgroupMountKind.BindUnified, "a new cgroup2 would show the host's whole tree");
        plan.Source.Should().Be("/sys/fs/cgroup/oci/c1");
        plan.MountFlags.Should().Be(MS.BIND | MS.REC);
        plan.AttrSet.Should().Be(MountAttr.NOSUID | MountAttr.NOEXEC | MountAttr.NODEV | MountAttr.RELATIME | MountAttr.RDONLY);
        plan.AttrClear.Should().Be(MountAttr.ATIME_MASK);
    }

    [Fact]
    public void On_a_v1_or_hybrid_host_a_writable_tmpfs_holds_the_binds_and_the_flags_go_to_all_of_them()
    {
        foreach (var ns in new[] { true, false })
        {
            var plan = CgroupMountPlan.For(Hybrid, "cgroup", Options(DefaultOptions), cgroupNamespace: ns);
            plan.Kind.Should().Be(CgroupMountKind.TmpfsWithBinds);
            plan.Source.Should().Be("tmpfs");
            plan.FsType.Should().Be("tmpfs");
            plan.MountFlags.Should().Be(MS.NOSUID | MS.NOEXEC | MS.NODEV | MS.RELATIME, "read-only only once the binds are in");
            plan.Data.Should().Be("mode=755");
            plan.AttrSet.Should().Be(MountAttr.NOSUID | MountAttr.NOEXEC | MountAttr.NODEV | MountAttr.RELATIME | MountAttr.RDONLY);
        }
    }

    [Fact]
    public void A_writable_cgroup_mount_asks_for_nothing_more()
    {
        var plan = CgroupMountPlan.For(Hybrid, "cgroup", Options(), cgroupNamespace: true);
        (plan.AttrSet | plan.AttrClear).Should().Be(0);
        plan.MountFlags.Should().Be(0);
    }
}
