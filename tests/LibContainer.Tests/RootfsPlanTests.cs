using LibContainer.Interop;
using LibContainer.Kernel;
using LibContainer.Rootfs;
using LibContainer.Spec;

namespace LibContainer.Tests;

public sealed class RootfsPlanTests
{
    private static Mount M(string dest, string type, string source, params string[] options) =>
        new() { Destination = dest, Type = type, Source = source, Options = [.. options] };

    private static RuntimeSpec Spec(IEnumerable<Mount> mounts, string? propagation = null) => new()
    {
        OciVersion = "1.0.2",
        Root = new Root { Path = "rootfs", Readonly = true },
        Process = new Process { Args = ["sh"], Cwd = "/work" },
        Mounts = [.. mounts],
        Linux = new Linux { RootfsPropagation = propagation, MaskedPaths = ["/proc/kcore"], ReadonlyPaths = ["/proc/sys"] },
    };

    private static RootfsPlan Plan(RuntimeSpec spec, bool noPivot = false) => RootfsPlan.For(spec, "/bundles/b", noPivot);

    [Fact]
    public void Mounts_are_kept_in_order_and_keep_their_flags()
    {
        var plan = Plan(Spec([
            M("/proc", "proc", "proc"),
            M("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777"),
            M("/sys/fs/cgroup", "cgroup", "cgroup", "ro", "nosuid"),
        ]));
        plan.Mounts.Select(s => (s.Destination, s.Kind)).Should().Equal(
            ("/proc", MountKind.Filesystem), ("/dev/shm", MountKind.Filesystem), ("/sys/fs/cgroup", MountKind.Cgroup));
        plan.Mounts[0].IsProc.Should().BeTrue();
        var shm = plan.Mounts[1];
        (shm.Source, shm.FsType, shm.Flags, shm.Options.Data).Should().Be(("shm", "tmpfs", MS.NOSUID | MS.NOEXEC | MS.NODEV, "mode=1777"));
        plan.Mounts[2].Source.Should().Be("cgroup");
    }

    [Fact]
    public void A_bind_is_resolved_against_the_bundle_and_its_other_flags_wait_for_the_remount()
    {
        var plan = Plan(Spec([M("/data", "bind", "data", "rbind", "ro", "nosuid", "suid")]));
        var bind = plan.Mounts.Should().ContainSingle().Subject;
        bind.Kind.Should().Be(MountKind.Bind);
        bind.Source.Should().Be("/bundles/b/data");
        bind.Flags.Should().Be(MS.REC, "the bind itself takes only the recursion");
        bind.RemountFlags.Should().Be(MS.RDONLY, "\"suid\" after \"nosuid\" clears it");
        (bind.Options.ClearedFlags & MS.NOSUID).Should().Be(MS.NOSUID, "the remount clears what the bind inherited");
        Plan(Spec([M("/data", "none", "/abs", "bind")])).Mounts[0].Should().Match<MountStep>(s => s.Kind == MountKind.Bind && s.Source == "/abs" && s.Flags == 0 && s.RemountFlags == 0);
    }

    [Fact]
    public void A_read_only_dev_is_mounted_writable_and_made_read_only_after_its_devices()
    {
        var plan = Plan(Spec([M("/dev", "tmpfs", "tmpfs", "nosuid"), M("/dev/pts", "devpts", "devpts"), M("/dev", "tmpfs", "tmpfs", "ro")]));
        plan.Mounts[2].Flags.Should().Be(0UL, "ro waits until the nodes are made");
        plan.ReadOnlyDev.Should().BeTrue();
        plan.CreateDevices.Should().BeTrue();
        plan.PtmxToPts.Should().BeTrue("a devpts instance is mounted");

        Plan(Spec([M("/dev", "tmpfs", "tmpfs", "ro"), M("/dev", "tmpfs", "tmpfs")])).ReadOnlyDev.Should().BeFalse("the last mount on /dev decides");
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", true)]
    [InlineData("/proc/42/ns/user", true)]
    public void In_a_user_namespace_new_or_joined_device_nodes_are_bound_not_made(string? userPath, bool bind)
    {
        var spec = Spec([M("/dev", "tmpfs", "tmpfs")]);
        if (userPath is not null)
            spec = spec with { Linux = spec.Linux! with { Namespaces = [new Namespace { Type = "mount" }, new Namespace { Type = "user", Path = userPath }] } };
        var plan = Plan(spec);
        plan.CreateDevices.Should().BeTrue();
        plan.InUserNamespace.Should().Be(bind);
        plan.BindDevices.Should().Be(bind, "the kernel refuses mknod in a user namespace");
    }

    [Fact]
    public void A_dev_bound_from_the_host_gets_no_device_nodes()
    {
        var plan = Plan(Spec([M("/dev", "bind", "/dev", "rbind", "ro")]));
        plan.CreateDevices.Should().BeFalse();
        plan.PtmxToPts.Should().BeFalse();
        plan.ReadOnlyDev.Should().BeTrue();
        plan.Mounts[0].RemountFlags.Should().Be(0UL, "read-only comes after, for /dev");
    }

    [Theory]
    [InlineData(null, MS.SLAVE | MS.REC, false, null)]
    [InlineData("rprivate", MS.PRIVATE | MS.REC, false, MS.PRIVATE | MS.REC)]
    [InlineData("shared", MS.SHARED, true, MS.SHARED)]
    [InlineData("unbindable", MS.SLAVE | MS.REC, false, MS.UNBINDABLE)]
    public void Propagation_is_rslave_while_working_unless_the_config_says_otherwise(string? configured, ulong working, bool parentPrivate, ulong? final)
    {
        var plan = Plan(Spec([], configured));
        plan.RootPropagation.Should().Be(working);
        plan.MakeParentPrivate.Should().Be(parentPrivate, "pivot_root refuses a root under a shared mount");
        plan.FinalPropagation.Should().Be(final);
    }

    [Fact]
    public void The_rest_of_the_plan_comes_from_the_spec()
    {
        var plan = Plan(Spec([]), noPivot: true);
        (plan.Pivot, plan.RootReadOnly, plan.Cwd).Should().Be((false, true, "/work"));
        plan.MaskedPaths.Should().Equal("/proc/kcore");
        plan.ReadonlyPaths.Should().Equal("/proc/sys");
        Plan(Spec([])).Pivot.Should().BeTrue();
    }

    [Fact]
    public void A_mount_without_a_type_that_is_no_bind_is_an_error_naming_it()
    {
        var act = () => Plan(Spec([M("/x", "", "src")]));
        act.Should().Throw<ContainerError>().WithMessage("config.json: mounts[0].type: missing");
    }

    [Fact]
    public void A_bind_remount_keeps_what_the_bind_inherited_but_what_the_config_clears()
    {
        const long ST_RDONLY = 1, ST_NOSUID = 2, ST_NODEV = 4, ST_NOEXEC = 8, ST_RELATIME = 4096;
        var inherited = StatfsFlags.LockedMountFlags(ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_RELATIME);
        inherited.Should().Be(MS.NOSUID | MS.NODEV | MS.NOEXEC | MS.RELATIME);
        StatfsFlags.LockedMountFlags(ST_RDONLY).Should().Be(MS.RDONLY);

        var step = Plan(Spec([M("/data", "bind", "/src", "rbind", "ro", "suid")])).Mounts[0];
        step.BindRemountFlags(inherited).Should().Be(MS.RDONLY | MS.NODEV | MS.NOEXEC | MS.RELATIME | MS.BIND | MS.REMOUNT,
            "nosuid goes (the config says suid), the rest the source has stays, and ro is added");
        var plain = Plan(Spec([M("/data", "bind", "/src", "bind", "nodev")])).Mounts[0];
        plain.BindRemountFlags(inherited).Should().Be(MS.NOSUID | MS.NODEV | MS.NOEXEC | MS.RELATIME | MS.BIND | MS.REMOUNT);
    }

    [Fact]
    public void A_masked_directory_gets_a_read_only_tmpfs_and_anything_else_dev_null()
    {
        RootfsPlan.MaskFor(isDirectory: true).Should().Be(MaskKind.ReadOnlyTmpfs);
        RootfsPlan.MaskFor(isDirectory: false).Should().Be(MaskKind.DevNull);
    }
}
