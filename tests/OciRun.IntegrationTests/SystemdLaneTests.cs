using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

/// <summary>
/// The systemd cgroup driver against a real systemd: the checks of
/// tests/Lanes/Systemd/checks.sh, run in one container with systemd as PID 1
/// (the lane, the class fixture), with oci-run and, side by side, with runc.
/// The same tests for each cgroup layout systemd may run on: one sealed class
/// per layout's lane.
/// </summary>
public abstract class SystemdLaneChecks<TLane>(TLane lane) : IClassFixture<TLane> where TLane : Lane
{
    private const string OciRun = "oci-run";
    private const string Runc = "runc";

    // The checks in checks.sh; a check added there needs its tests here (Every_check_has_tests says so).
    private const string ScopeProperties = "scope_properties";
    private const string DefaultUnit = "default_unit";
    private const string NestedSlice = "nested_slice";
    private const string MemoryOom = "memory_oom";
    private const string PidsLimit = "pids_limit";
    private const string UpdateLive = "update_live";
    private const string UpdateRefused = "update_refused";
    private const string PausePsEvents = "pause_ps_events";
    private const string UnitExists = "unit_exists";
    private const string PropertyRejected = "property_rejected";
    private const string PodmanSystemd = "podman_systemd";
    private const string ContainerdSystemd = "containerd_systemd";
    private static readonly string[] Checks = [ScopeProperties, DefaultUnit, NestedSlice, MemoryOom, PidsLimit, UpdateLive, UpdateRefused, PausePsEvents, UnitExists, PropertyRejected, PodmanSystemd, ContainerdSystemd];

    protected void Passes(string runtime, string check) => lane.Passes(runtime, check);

    protected void RanInOneBoot() => lane.RanInOneBoot();

    [RootFact]
    public void Systemd_runs_as_the_lane_containers_pid_1() => Passes("lane", "systemd_running");

    [RootFact]
    public void OciRun_scope_holds_init_with_the_configs_limits_and_goes_at_delete() => Passes(OciRun, ScopeProperties);

    [RootFact]
    public void Runc_scope_holds_init_with_the_configs_limits_and_goes_at_delete() => Passes(Runc, ScopeProperties);

    [RootFact]
    public void OciRun_without_cgroupsPath_uses_runc_ID_scope_in_system_slice() => Passes(OciRun, DefaultUnit);

    [RootFact]
    public void Runc_without_cgroupsPath_uses_runc_ID_scope_in_system_slice() => Passes(Runc, DefaultUnit);

    [RootFact]
    public void OciRun_scope_goes_into_a_new_nested_slice() => Passes(OciRun, NestedSlice);

    [RootFact]
    public void Runc_scope_goes_into_a_new_nested_slice() => Passes(Runc, NestedSlice);

    [RootFact]
    public void OciRun_memory_hog_is_oom_killed_at_the_units_limit() => Passes(OciRun, MemoryOom);

    [RootFact]
    public void Runc_memory_hog_is_oom_killed_at_the_units_limit() => Passes(Runc, MemoryOom);

    [RootFact]
    public void OciRun_fork_bomb_stops_at_tasks_max() => Passes(OciRun, PidsLimit);

    [RootFact]
    public void Runc_fork_bomb_stops_at_tasks_max() => Passes(Runc, PidsLimit);

    [RootFact]
    public void OciRun_update_changes_the_unit_and_the_cgroup() => Passes(OciRun, UpdateLive);

    [RootFact]
    public void Runc_update_changes_the_unit_and_the_cgroup() => Passes(Runc, UpdateLive);

    [RootFact]
    public void OciRun_an_update_a_file_refuses_leaves_the_unit_and_the_files_as_they_were() => Passes(OciRun, UpdateRefused);

    [RootFact]
    public void Runc_an_update_a_file_refuses_leaves_the_unit_and_the_files_as_they_were() => Passes(Runc, UpdateRefused);

    [RootFact]
    public void OciRun_pause_ps_events_exec_and_kill_all_use_the_scopes_cgroup() => Passes(OciRun, PausePsEvents);

    [RootFact]
    public void Runc_pause_ps_events_exec_and_kill_all_use_the_scopes_cgroup() => Passes(Runc, PausePsEvents);

    [RootFact]
    public void OciRun_refuses_a_unit_that_exists_and_leaves_nothing() => Passes(OciRun, UnitExists);

    [RootFact]
    public void Runc_refuses_a_unit_that_exists_and_leaves_nothing() => Passes(Runc, UnitExists);

    [RootFact]
    public void OciRun_refuses_a_property_systemd_rejects_naming_the_field_and_leaves_nothing() => Passes(OciRun, PropertyRejected);

    [RootFact]
    public void Runc_refuses_a_property_systemd_rejects_and_leaves_nothing() => Passes(Runc, PropertyRejected);

    [RootFact]
    public void OciRun_under_podman_with_the_systemd_cgroup_manager_runs_in_a_libpod_scope() => Passes(OciRun, PodmanSystemd);

    [RootFact]
    public void Runc_under_podman_with_the_systemd_cgroup_manager_runs_in_a_libpod_scope() => Passes(Runc, PodmanSystemd);

    [RootFact]
    public void OciRun_under_containerds_runc_shim_with_systemd_cgroup_runs_in_its_scope() => Passes(OciRun, ContainerdSystemd);

    [RootFact]
    public void Runc_under_containerds_runc_shim_with_systemd_cgroup_runs_in_its_scope() => Passes(Runc, ContainerdSystemd);

    [RootFact]
    public void Every_check_has_tests()
    {
        lane.Result(OciRun, ScopeProperties); // skips where the lane cannot run
        lane.Reported.Where(r => r.Runtime != "lane").Select(r => r.Check).Distinct()
            .Should().BeSubsetOf(Checks, "each check in checks.sh needs a test per runtime in this class");
    }
}

/// <summary>The systemd lane on this host: systemd in a container sees the cgroup v1 hybrid layout.</summary>
public sealed class SystemdLaneTests(SystemdLane lane) : SystemdLaneChecks<SystemdLane>(lane);

/// <summary>
/// The systemd lane on a pure cgroup v2 host: the same container, inside the
/// cgroup v2 lane's VM (tests/Lanes/Systemd/lane.sh --cgroup-v2).
/// </summary>
public sealed class SystemdV2LaneTests(SystemdV2Lane lane) : SystemdLaneChecks<SystemdV2Lane>(lane)
{
    [RootFact]
    public void The_lane_host_is_pure_cgroup_v2() => Passes("lane", "pure-v2");

    [RootFact]
    public void The_lanes_vm_ran_its_checks_in_one_boot() => RanInOneBoot();
}
