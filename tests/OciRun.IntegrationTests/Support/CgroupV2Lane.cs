namespace OciRun.IntegrationTests.Support;

/// <summary>
/// The cgroup v2 lane (tests/Lanes/CgroupV2/lane.sh): one VM boot, on first
/// use, runs every check with the binary under test and with runc. Shared by
/// a test class as its fixture, so the VM boots once for all of its tests.
/// </summary>
// lane.sh stops its VM after 480 s; the timeout only guards against lane.sh itself hanging.
public sealed class CgroupV2Lane() : Lane("the cgroup v2 lane", "CgroupV2/lane.sh", timeoutSeconds: 560);
