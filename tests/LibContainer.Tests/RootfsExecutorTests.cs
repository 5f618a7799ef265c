using LibContainer.Interop;
using LibContainer.Processes;
using LibContainer.Rootfs;
using LibContainer.Spec;
using LibContainer.Syscalls;

namespace LibContainer.Tests;

/// <summary>What the rootfs executor does, in order, seen through RecordingSyscalls: no root needed.</summary>
public sealed class RootfsExecutorTests
{
    // A cgroup v1 host: the container's directory in each hierarchy, two of them co-mounted.
    private static readonly CgroupMountSource[] V1 =
        [new("cpu,cpuacct", "/sys/fs/cgroup/cpu,cpuacct/c1"), new("memory", "/sys/fs/cgroup/memory/c1")];

    private static InitConfig Config(RuntimeSpec spec, bool noPivot = false, CgroupMountSource[]? cgroups = null) => new()
    {
        Id = "c1", Spec = spec, SpecJson = [], Bundle = "/b", Rootfs = "/b/rootfs", FifoPath = "/run/oci-run/c1/exec.fifo",
        NoPivot = noPivot, CgroupMounts = [.. cgroups ?? V1],
    };

    private static Mount M(string dest, string type, string source, params string[] options) =>
        new() { Destination = dest, Type = type, Source = source, Options = [.. options] };

    // A small config: the given mounts, no masks or read-only paths unless asked, cwd "/".
    private static RuntimeSpec Small(Mount[] mounts, string[]? masked = null, string[]? readOnly = null) => new()
    {
        OciVersion = "1.0.2",
        Root = new Root { Path = "rootfs" },
        Process = new Process { Args = ["sh"], Cwd = "/" },
        Mounts = [.. mounts],
        Linux = new Linux { MaskedPaths = [.. masked ?? []], ReadonlyPaths = [.. readOnly ?? []] },
    };

    private static List<string> Run(InitConfig config, RecordingSyscalls sys)
    {
        new RootfsExecutor(config, sys).Run()?.Dispose(); // the console's pty is the caller's
        sys.OpenHandles.Should().BeEmpty("the executor closes every handle it was given");
        return sys.Calls;
    }

    private static int First(List<string> calls, string prefix)
    {
        var i = calls.FindIndex(c => c.StartsWith(prefix, StringComparison.Ordinal));
        i.Should().BeGreaterThanOrEqualTo(0, $"a call starting with \"{prefix}\" is made");
        return i;
    }

    private static int Last(List<string> calls, string prefix)
    {
        var i = calls.FindLastIndex(c => c.StartsWith(prefix, StringComparison.Ordinal));
        i.Should().BeGreaterThanOrEqualTo(0, $"a call starting with \"{prefix}\" is made");
        return i;
    }

    [Fact]
    public void Runcs_default_config_binds_the_rootfs_mounts_in_order_makes_devices_masks_then_pivots()
    {
        var sys = new RecordingSyscalls();
        sys.Tree["/proc/kcore"] = false;
        sys.Tree["/proc/acpi"] = true;
        sys.Tree["/proc/sys"] = true;
        var calls = Run(Config(DefaultSpec.Create()), sys);

        calls.Take(3).Should().Equal("propagate / rec,slave", "mount /b/rootfs on /b/rootfs none bind,rec", "open /b/rootfs -> #3");
        // Each mount goes to the handle just resolved for its destination, made as a directory.
        calls.Should().ContainInConsecutiveOrder("resolve? /proc nofollow -> missing", "resolve /proc mkdir -> #4", "mount proc on #4 proc -");
        calls.Should().ContainInConsecutiveOrder("resolve /dev mkdir -> #5", "mount tmpfs on #5 tmpfs nosuid,strictatime mode=755,size=65536k");
        calls.Should().ContainInConsecutiveOrder("resolve /sys mkdir -> #9", "mount sysfs on #9 sysfs ro,nosuid,nodev,noexec");

        int[] order =
        [
            First(calls, "mount /b/rootfs"),
            First(calls, "mount proc "), First(calls, "mount tmpfs on #5 "), First(calls, "mount devpts "), First(calls, "mount shm "),
            First(calls, "mount mqueue "), First(calls, "mount sysfs "), First(calls, "mount tmpfs on #10 "), Last(calls, "setattr "),
            First(calls, "mknod "), Last(calls, "mknod "), First(calls, "symlink #21/fd "), Last(calls, "symlink "),
            First(calls, "open host /dev/null"), First(calls, "resolve? /proc/acpi"), Last(calls, "resolve? /proc/scsi"),
            First(calls, "resolve? /proc/bus"), Last(calls, "resolve? /proc/sysrq-trigger"),
            First(calls, "resolve / mkdir"), First(calls, "pivot_root /b/rootfs"), First(calls, "remount / "),
        ];
        order.Should().BeInAscendingOrder("rootfs bind, mounts in config order, devices, masks, read-only paths, cwd, pivot, read-only root");
        calls.Should().ContainInConsecutiveOrder("resolve? /proc/kcore -> #24", "bind #22 on #24");
        calls.Should().ContainInConsecutiveOrder("resolve? /proc/sys -> #25", "rbind #25 on #25", "resolve /proc/sys -> #26", "remount #26 ro,remount,bind,rec");
        // runc's default has a terminal: made in the new root, before "/" is read-only.
        calls.Should().EndWith(["pivot_root /b/rootfs", "open / -> #28", "openpty in #28 -> master #29 slave #30",
            "mkconsole in #28 -> #31", "bind pty #30 on #31", "remount / ro,remount,bind"]);
        calls.Should().NotContain(c => c.StartsWith("move ") || c.StartsWith("detach "));
    }

    [Fact]
    public void A_tmpfs_with_tmpcopyup_is_filled_from_the_directory_it_covers_then_made_read_only()
    {
        var sys = new RecordingSyscalls();
        var calls = Run(Config(Small([M("/etc", "tmpfs", "tmpfs", "ro", "nosuid", "tmpcopyup", "mode=755")])), sys);

        // The directory is opened before the tmpfs covers it; the copy goes from that handle into the new mount.
        calls.Should().ContainInConsecutiveOrder(
            "resolve /etc mkdir -> #4", "open contents of #4 -> #5", "mount tmpfs on #4 tmpfs nosuid mode=755",
            "resolve /etc -> #6", "copy #5 into #6", "remount #6 ro,nosuid,remount mode=755");
    }

    [Fact]
    public void Tmpcopyup_on_a_filesystem_other_than_tmpfs_is_refused_by_name()
    {
        var proc = () => Run(Config(Small([M("/x", "sysfs", "sysfs", "tmpcopyup")])), new RecordingSyscalls());
        proc.Should().Throw<ContainerError>().WithMessage("config.json: mounts[0].options: tmpcopyup is for tmpfs mounts, not sysfs");
    }

    [Fact]
    public void The_create_time_hooks_run_after_every_mount_and_mask_and_just_before_pivot_root()
    {
        var sys = new RecordingSyscalls();
        new RootfsExecutor(Config(Small([M("/proc", "proc", "proc")], masked: ["/proc/kcore"])), sys).Run(() => sys.Calls.Add("hooks"));
        var hooks = sys.Calls.IndexOf("hooks");
        hooks.Should().BePositive();
        sys.Calls[hooks + 1].Should().StartWith("pivot_root");
        sys.Calls.Take(hooks).Should().Contain(c => c.Contains("/proc/kcore"));
    }

    [Fact]
    public void Without_pivot_the_hosts_proc_and_sys_are_detached_or_covered_and_the_rootfs_moved()
    {
        var sys = new RecordingSyscalls();
        sys.MountTable.AddRange([
            new MountInfo("/", "/", "ext4", "rw"), new MountInfo("/", "/proc", "proc", "rw"), new MountInfo("/", "/sys", "sysfs", "rw"),
            new MountInfo("/", "/b/rootfs/proc", "proc", "rw"), new MountInfo("/sys", "/mnt/sys", "sysfs", "rw"),
        ]);
        sys.StuckMounts.Add("/sys");
        var calls = Run(Config(Small([M("/proc", "proc", "proc")]), noPivot: true), sys);

        calls.Should().EndWith([
            "resolve / mkdir -> #12",
            "detach /proc", "detach /sys", "mount tmpfs on /sys tmpfs ro",
            "move /b/rootfs onto /",
        ], "the container's own procfs and a bind of part of sysfs are left alone");
        calls.Should().NotContain(c => c.StartsWith("pivot_root"));
    }

    [Fact]
    public void A_masked_file_gets_dev_null_a_masked_directory_a_read_only_tmpfs_and_a_missing_path_nothing()
    {
        var sys = new RecordingSyscalls();
        sys.Tree["/proc/kcore"] = false;
        sys.Tree["/proc/acpi"] = true;
        Run(Config(Small([], masked: ["/proc/kcore", "/proc/acpi", "/proc/keys"])), sys).Should().Equal(
            "propagate / rec,slave", "mount /b/rootfs on /b/rootfs none bind,rec", "open /b/rootfs -> #3",
            "resolve /dev mkdir -> #4", "mknod #4/null c 1:3 666 0:0",
            "resolve /dev mkdir -> #5", "mknod #5/zero c 1:5 666 0:0",
            "resolve /dev mkdir -> #6", "mknod #6/full c 1:7 666 0:0",
            "resolve /dev mkdir -> #7", "mknod #7/random c 1:8 666 0:0",
            "resolve /dev mkdir -> #8", "mknod #8/urandom c 1:9 666 0:0",
            "resolve /dev mkdir -> #9", "mknod #9/tty c 5:0 666 0:0",
            "resolve /dev mkdir -> #10",
            "symlink #10/fd -> /proc/self/fd", "symlink #10/stdin -> /proc/self/fd/0",
            "symlink #10/stdout -> /proc/self/fd/1", "symlink #10/stderr -> /proc/self/fd/2",
            "open host /dev/null -> #11",
            "resolve? /proc/kcore -> #12", "bind #11 on #12",
            "resolve? /proc/acpi -> #13", "mount tmpfs on #13 tmpfs ro",
            "resolve? /proc/keys -> missing",
            "resolve / mkdir -> #14",
            "pivot_root /b/rootfs");
    }

    [Fact]
    public void A_read_only_bind_is_remounted_keeping_what_it_inherited_and_a_plain_one_is_not()
    {
        var sys = new RecordingSyscalls();
        sys.HostPaths["/b/data"] = HostPathKind.Directory;
        sys.HostPaths["/etc/hosts"] = HostPathKind.Other;
        sys.MountFlags["/data"] = MS.NODEV | MS.NOSUID | MS.RELATIME;
        var calls = Run(Config(Small([
            M("/data", "bind", "data", "rbind", "ro", "suid"),
            M("/etc/hosts", "bind", "/etc/hosts", "bind"),
        ])), sys);

        calls.Skip(3).Take(5).Should().Equal(
            "resolve /data mkdir -> #4", "mount /b/data on #4 none bind,rec",
            "resolve /data -> #5", "remount #5 ro,nodev,remount,bind,relatime",
            "resolve /etc/hosts mkfile -> #6");
        calls[8].Should().Be("mount /etc/hosts on #6 none bind", "a bind without options to change is not remounted");
        calls[9].Should().StartWith("resolve /dev mkdir");
    }

    [Fact]
    public void A_bind_whose_source_is_missing_is_an_error_naming_the_mount()
    {
        var act = () => Run(Config(Small([M("/data", "bind", "/nowhere", "bind")])), new RecordingSyscalls());
        act.Should().Throw<ContainerError>().WithMessage("mounts[0]: bind source /nowhere does not exist");
    }

    [Fact]
    public void A_cgroup_mount_on_v1_is_a_tmpfs_with_a_bind_per_hierarchy_made_read_only_in_one_call()
    {
        var sys = new RecordingSyscalls();
        var calls = Run(Config(Small([M("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro")])), sys);

        calls.Skip(3).TakeWhile(c => !c.StartsWith("resolve /dev")).Should().Equal(
            "resolve /sys/fs/cgroup mkdir -> #4", "mount tmpfs on #4 tmpfs nosuid,nodev,noexec,relatime mode=755",
            "resolve /sys/fs/cgroup/cpu,cpuacct mkdir -> #5", "mount /sys/fs/cgroup/cpu,cpuacct/c1 on #5 none bind,rec",
            "resolve /sys/fs/cgroup dir -> #6", "symlink #6/cpu -> cpu,cpuacct", "symlink #6/cpuacct -> cpu,cpuacct",
            "resolve /sys/fs/cgroup/memory mkdir -> #7", "mount /sys/fs/cgroup/memory/c1 on #7 none bind,rec",
            "resolve /sys/fs/cgroup -> #8", "setattr #8 +ro,nosuid,nodev,noexec -atime");
    }

    [Fact]
    public void Without_mount_setattr_each_hierarchy_bind_is_remounted_then_the_tmpfs()
    {
        var sys = new RecordingSyscalls { HasMountSetattr = false };
        sys.MountFlags["/sys/fs/cgroup/memory"] = MS.NOATIME;
        var calls = Run(Config(Small([M("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro")])), sys);

        calls.SkipWhile(c => !c.StartsWith("setattr")).TakeWhile(c => !c.StartsWith("resolve /dev")).Should().Equal(
            "setattr #8 +ro,nosuid,nodev,noexec -atime",
            "resolve /sys/fs/cgroup/cpu,cpuacct -> #9", "remount #9 ro,nosuid,nodev,noexec,remount,bind,relatime",
            "resolve /sys/fs/cgroup/memory -> #10", "remount #10 ro,nosuid,nodev,noexec,remount,bind,relatime",
            "resolve /sys/fs/cgroup -> #11", "remount #11 ro,nosuid,nodev,noexec,remount,relatime mode=755");
    }

    [Fact]
    public void On_v2_inside_a_cgroup_namespace_the_cgroup_mount_is_a_new_cgroup2_with_its_options()
    {
        var spec = Small([M("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "ro")]);
        spec = spec with { Linux = spec.Linux! with { Namespaces = [new Namespace { Type = "cgroup" }] } };
        var calls = Run(Config(spec, cgroups: [new("", "/sys/fs/cgroup/c1")]), new RecordingSyscalls());

        calls.Skip(3).Take(3).Should().Equal(
            "resolve /sys/fs/cgroup mkdir -> #4", "mount cgroup on #4 cgroup2 ro,nosuid", "resolve /dev mkdir -> #5");
    }

    [Fact]
    public void With_a_devpts_instance_dev_ptmx_is_replaced_by_a_link_into_it()
    {
        var calls = Run(Config(Small([M("/dev/pts", "devpts", "devpts", "newinstance")])), new RecordingSyscalls());
        calls.Should().ContainInConsecutiveOrder("symlink #11/stderr -> /proc/self/fd/2", "symlink #11/ptmx -> pts/ptmx (replace)");

        var sys = new RecordingSyscalls();
        sys.HostPaths["/proc/kcore"] = HostPathKind.Other;
        Run(Config(Small([])), sys).Should().Contain("symlink #10/core -> /proc/kcore").And.NotContain(c => c.Contains("ptmx"));
    }

    private static RuntimeSpec InUserNamespace(RuntimeSpec spec) =>
        spec with { Linux = spec.Linux! with { Namespaces = [new Namespace { Type = "mount" }, new Namespace { Type = "user" }] } };

    [Fact]
    public void In_a_user_namespace_each_device_is_the_hosts_node_bound_onto_an_empty_file()
    {
        var sys = new RecordingSyscalls();
        foreach (var d in Devices.Defaults) sys.HostPaths[d.Path!] = HostPathKind.Other;
        var calls = Run(Config(InUserNamespace(Small([M("/dev", "tmpfs", "tmpfs")]))), sys);
        calls.Should().NotContain(c => c.StartsWith("mknod"), "the kernel refuses mknod in a user namespace");
        calls.Should().ContainInConsecutiveOrder("resolve /dev/null mkfile -> #5", "mount /dev/null on #5 none bind");
        calls.Should().ContainInConsecutiveOrder("resolve /dev/tty mkfile -> #10", "mount /dev/tty on #10 none bind");
        calls.Should().Contain("symlink #11/fd -> /proc/self/fd");
    }

    [Fact]
    public void In_a_user_namespace_a_device_the_host_lacks_is_refused_by_name()
    {
        var sys = new RecordingSyscalls();
        foreach (var d in Devices.Defaults) sys.HostPaths[d.Path!] = HostPathKind.Other;
        var spec = InUserNamespace(Small([])) is var s ? s with { Linux = s.Linux! with { Devices = [new Device { Path = "/dev/fuse-x", Type = "c", Major = 10, Minor = 229 }] } } : null;
        var act = () => new RootfsExecutor(Config(spec!), sys).Run();
        act.Should().Throw<ContainerError>().WithMessage("linux.devices: /dev/fuse-x: device nodes cannot be made in a user namespace, and the host has no /dev/fuse-x to bind instead");
    }

    [Fact]
    public void In_a_user_namespace_a_sysfs_the_kernel_refuses_becomes_a_read_only_bind_of_the_hosts_sys()
    {
        var sys = new RecordingSyscalls { FailAt = "mount sysfs on" };
        foreach (var d in Devices.Defaults) sys.HostPaths[d.Path!] = HostPathKind.Other;
        sys.MountFlags["/sys"] = MS.NOSUID | MS.NODEV | MS.NOEXEC;
        var calls = Run(Config(InUserNamespace(Small([M("/sys", "sysfs", "sysfs", "ro", "nosuid", "nodev", "noexec")]))), sys);
        calls.Should().ContainInConsecutiveOrder(
            "resolve /sys mkdir -> #4", "mount sysfs on #4 sysfs ro,nosuid,nodev,noexec",
            "mount /sys on #4 none bind,rec", "resolve /sys -> #5", "remount #5 ro,nosuid,nodev,noexec,remount,bind");
    }

    [Fact]
    public void Without_a_user_namespace_a_sysfs_failure_fails()
    {
        var sys = new RecordingSyscalls { FailAt = "mount sysfs on" };
        var act = () => new RootfsExecutor(Config(Small([M("/sys", "sysfs", "sysfs", "ro")])), sys).Run();
        act.Should().Throw<ContainerError>().WithMessage("*sysfs on /sys*");
    }

    [Fact]
    public void A_dev_bound_from_the_host_gets_no_nodes_or_links_and_is_made_read_only_last()
    {
        var sys = new RecordingSyscalls();
        sys.HostPaths["/dev"] = HostPathKind.Directory;
        sys.MountFlags["/dev"] = MS.NOSUID;
        var calls = Run(Config(Small([M("/dev", "bind", "/dev", "rbind", "ro")])), sys);

        calls.Should().NotContain(c => c.StartsWith("mknod") || c.StartsWith("symlink"));
        calls.Skip(3).Should().Equal(
            "resolve /dev mkdir -> #4", "mount /dev on #4 none bind,rec",
            "resolve / mkdir -> #5", "pivot_root /b/rootfs",
            "open / -> #6", "resolve /dev -> #7", "remount /dev ro,nosuid,remount,bind");
    }

    [Fact]
    public void A_read_only_dev_is_made_read_only_after_its_devices_masks_and_read_only_paths_in_the_new_root()
    {
        var sys = new RecordingSyscalls();
        sys.Tree["/proc/sys"] = true;
        var calls = Run(Config(Small([M("/dev", "tmpfs", "tmpfs", "ro")], readOnly: ["/proc/sys"])), sys);

        calls.Should().ContainInConsecutiveOrder("resolve /dev mkdir -> #4", "mount tmpfs on #4 tmpfs -", "resolve /dev mkdir -> #5");
        First(calls, "remount #13 ro,remount,bind,rec").Should().BeGreaterThan(Last(calls, "symlink "));
        // In the new root, as runc's finalizeRootfs: after the console, which needs a writable /dev.
        calls.Should().EndWith(["resolve / mkdir -> #14", "pivot_root /b/rootfs", "open / -> #15", "resolve /dev -> #16", "remount /dev ro,remount,bind"]);
    }

    [Fact]
    public void A_failure_in_the_middle_surfaces_its_ContainerError_and_nothing_after_it_is_done()
    {
        var sys = new RecordingSyscalls { FailAt = "mount sysfs" };
        var act = () => new RootfsExecutor(Config(DefaultSpec.Create()), sys).Run();

        act.Should().Throw<ContainerError>().WithMessage("mount sysfs on /sys: Operation not permitted");
        sys.Calls[^1].Should().Be("mount sysfs on #9 sysfs ro,nosuid,nodev,noexec");
        sys.OpenHandles.Should().BeEmpty("the handles are closed on the way out");
    }

    [Fact]
    public void A_proc_that_is_not_a_directory_in_the_rootfs_is_refused_before_anything_is_mounted_on_it()
    {
        var sys = new RecordingSyscalls();
        sys.Tree["/proc"] = false; // a symlink, left as it is (nofollow)
        var act = () => new RootfsExecutor(Config(Small([M("/proc", "proc", "proc")])), sys).Run();

        act.Should().Throw<ContainerError>().WithMessage("mounts[0]: /proc in the root filesystem must be an ordinary directory, not a symlink or a file");
        sys.Calls[^1].Should().Be("resolve? /proc nofollow -> #4");
        sys.OpenHandles.Should().BeEmpty();
    }

    [Fact]
    public void A_shared_rootfs_propagation_makes_the_parent_mount_private_and_is_set_again_on_the_new_root()
    {
        var sys = new RecordingSyscalls();
        sys.MountTable.AddRange([new MountInfo("/", "/", "ext4", "rw"), new MountInfo("/", "/b", "ext4", "rw"), new MountInfo("/", "/bx", "ext4", "rw")]);
        var spec = Small([]);
        spec = spec with { Linux = spec.Linux! with { RootfsPropagation = "shared" } };
        var calls = Run(Config(spec), sys);

        calls.Take(3).Should().Equal("propagate / shared", "propagate /b private", "mount /b/rootfs on /b/rootfs none bind,rec");
        calls.Should().EndWith(["pivot_root /b/rootfs", "propagate / shared"]);
    }
}
