using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

/// <summary>
/// The runtime on a pure cgroup v2 host: the checks of tests/Lanes/CgroupV2/checks.sh,
/// run in one VM boot (the class fixture) with oci-run and, side by side, with runc.
/// A check that runc fails is a finding about the check or about runc, and stays visible.
/// </summary>
public sealed class CgroupV2LaneTests(CgroupV2Lane lane) : IClassFixture<CgroupV2Lane>
{
    private const string OciRun = "oci-run";
    private const string Runc = "runc";

    // The checks in checks.sh; a check added there needs its tests here (Every_check_has_tests says so).
    private const string CgroupNamespaceRoot = "cgroup_namespace_root";
    private const string CgroupDirLifecycle = "cgroup_dir_lifecycle";
    private const string DefaultDeviceRules = "default_device_rules";
    private static readonly string[] Checks = [CgroupNamespaceRoot, CgroupDirLifecycle, DefaultDeviceRules];

    private void Passes(string runtime, string check)
    {
        var result = lane.Result(runtime, check);
        Skip.If(result.Status == "skip", result.Message);
        result.Status.Should().Be("pass", $"{check} with {runtime}: {result.Message}");
    }

    [RootFact]
    public void The_lane_host_is_pure_cgroup_v2() => Passes("lane", "pure-v2");

    [RootFact]
    public void OciRun_container_sees_its_own_cgroup() => Passes(OciRun, CgroupNamespaceRoot);

    [RootFact]
    public void Runc_container_sees_its_own_cgroup() => Passes(Runc, CgroupNamespaceRoot);

    [RootFact]
    public void OciRun_create_makes_the_cgroup_and_delete_removes_it() => Passes(OciRun, CgroupDirLifecycle);

    [RootFact]
    public void Runc_create_makes_the_cgroup_and_delete_removes_it() => Passes(Runc, CgroupDirLifecycle);

    // Fails until device control on cgroup v2 (an eBPF device filter) lands.
    [RootFact]
    public void OciRun_enforces_the_default_device_rules() => Passes(OciRun, DefaultDeviceRules);

    [RootFact]
    public void Runc_enforces_the_default_device_rules() => Passes(Runc, DefaultDeviceRules);

    [RootFact]
    public void Every_check_has_tests()
    {
        lane.Result(OciRun, CgroupNamespaceRoot); // skips where the lane cannot run
        lane.Reported.Where(r => r.Runtime != "lane").Select(r => r.Check).Distinct()
            .Should().BeSubsetOf(Checks, "each check in checks.sh needs a test per runtime in this class");
    }
}
