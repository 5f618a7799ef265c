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
    private const string MemoryLimit = "memory_limit";
    private const string PidsLimit = "pids_limit";
    private const string CpuLimits = "cpu_limits";
    private const string UpdateLive = "update_live";
    private const string PauseResume = "pause_resume";
    private const string EventsStats = "events_stats";
    private static readonly string[] Checks = [CgroupNamespaceRoot, CgroupDirLifecycle, DefaultDeviceRules, MemoryLimit, PidsLimit, CpuLimits, UpdateLive, PauseResume, EventsStats];

    private void Passes(string runtime, string check) => lane.Passes(runtime, check);

    [RootFact]
    public void The_lane_host_is_pure_cgroup_v2() => Passes("lane", "pure-v2");

    [RootFact]
    public void The_lanes_vm_ran_its_checks_in_one_boot() => lane.RanInOneBoot();

    [RootFact]
    public void OciRun_pause_freezes_and_resume_thaws() => Passes(OciRun, PauseResume);

    [RootFact]
    public void Runc_pause_freezes_and_resume_thaws() => Passes(Runc, PauseResume);

    [RootFact]
    public void OciRun_events_stats_reads_the_v2_files() => Passes(OciRun, EventsStats);

    [RootFact]
    public void Runc_events_stats_reads_the_v2_files() => Passes(Runc, EventsStats);

    [RootFact]
    public void OciRun_memory_hog_is_killed_at_memory_max() => Passes(OciRun, MemoryLimit);

    [RootFact]
    public void Runc_memory_hog_is_killed_at_memory_max() => Passes(Runc, MemoryLimit);

    [RootFact]
    public void OciRun_fork_bomb_stops_at_pids_max() => Passes(OciRun, PidsLimit);

    [RootFact]
    public void Runc_fork_bomb_stops_at_pids_max() => Passes(Runc, PidsLimit);

    [RootFact]
    public void OciRun_cpu_shares_become_a_weight_and_quota_cpu_max() => Passes(OciRun, CpuLimits);

    [RootFact]
    public void Runc_cpu_shares_become_a_weight_and_quota_cpu_max() => Passes(Runc, CpuLimits);

    [RootFact]
    public void OciRun_update_lowers_a_live_limit_the_container_feels() => Passes(OciRun, UpdateLive);

    [RootFact]
    public void Runc_update_lowers_a_live_limit_the_container_feels() => Passes(Runc, UpdateLive);

    [RootFact]
    public void OciRun_container_sees_its_own_cgroup() => Passes(OciRun, CgroupNamespaceRoot);

    [RootFact]
    public void Runc_container_sees_its_own_cgroup() => Passes(Runc, CgroupNamespaceRoot);

    [RootFact]
    public void OciRun_create_makes_the_cgroup_and_delete_removes_it() => Passes(OciRun, CgroupDirLifecycle);

    [RootFact]
    public void Runc_create_makes_the_cgroup_and_delete_removes_it() => Passes(Runc, CgroupDirLifecycle);

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
