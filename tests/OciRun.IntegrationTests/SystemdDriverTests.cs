using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

/// <summary>
/// The systemd cgroup driver's bad input on this host (which runs no
/// systemd): one clear line, and no state or cgroup left (the spawned init is
/// killed by create's rollback, as for any failed create). The
/// driver at work against a real systemd is SystemdLaneTests.
/// </summary>
public sealed class SystemdDriverTests : ContainerTest
{
    private RunResult Create(Bundle bundle, string id, string busAddress = "unix:path=/nonexistent/oci-run-test-bus", bool systemd = true) =>
        Runtime.Shell($"DBUS_SYSTEM_BUS_ADDRESS='{busAddress}' exec {Runtime.Binary} {(systemd ? "--systemd-cgroup " : "")}--root '{Runtime.Root}' create --bundle '{bundle.Write().Dir}' {id} </dev/null");

    private void FailsCleanly(RunResult result, string id, string unit, params string[] mentions)
    {
        result.ExitCode.Should().Be(1, result.ToString());
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(1, $"one line, no stack trace: {result}");
        foreach (var m in mentions) lines[0].Should().Contain(m);
        Directory.Exists(Path.Combine(Runtime.Root, id)).Should().BeFalse("a failed create leaves no state");
        HostCgroups.ExistingDirs($"/system.slice/{unit}").Should().BeEmpty("a failed create leaves no cgroup");
    }

    [RootFact]
    public void Without_systemds_bus_create_says_where_it_looked_and_leaves_nothing()
    {
        var id = NewId();
        var bundle = NewBundle(id, "sleep", "100");
        bundle.Linux["cgroupsPath"] = $"system.slice:oci-run-test:{id}";
        FailsCleanly(Create(bundle, id), id, $"oci-run-test-{id}.scope",
            "the systemd cgroup driver needs systemd's D-Bus at unix:path=/nonexistent/oci-run-test-bus: connect:");
    }

    [RootFact]
    public void A_cgroupfs_path_under_systemd_cgroup_is_refused_as_runc_does()
    {
        var id = NewId();
        FailsCleanly(Create(NewBundle(id, "true"), id), id, $"x-{id}.scope",
            "linux.cgroupsPath", "expected cgroupsPath to be of format \"slice:prefix:name\" for systemd cgroups", $"\"/{CgroupParent}/{id}\"");
        CgroupDirs(id).Should().BeEmpty();
    }

    [RootFact]
    public void A_systemd_path_without_systemd_cgroup_is_refused_naming_the_flag()
    {
        var id = NewId();
        var bundle = NewBundle(id, "true");
        bundle.Linux["cgroupsPath"] = $"system.slice:oci-run-test:{id}";
        FailsCleanly(Create(bundle, id, systemd: false), id, $"oci-run-test-{id}.scope", "linux.cgroupsPath", "--systemd-cgroup");
    }

    [RootFact]
    public void A_bad_slice_name_is_refused_before_anything_is_made()
    {
        var id = NewId();
        var bundle = NewBundle(id, "true");
        bundle.Linux["cgroupsPath"] = $"a--b.slice:oci-run-test:{id}";
        FailsCleanly(Create(bundle, id), id, $"oci-run-test-{id}.scope", "invalid slice name \"a--b.slice\"");
    }
}
