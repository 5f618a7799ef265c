namespace OciRun.IntegrationTests.Support;

/// <summary>
/// The systemd lane (tests/Lanes/Systemd/lane.sh) on this host: on first use,
/// boots one container with systemd as PID 1 (started with the binary under
/// test) and runs every check in it with oci-run and runc. systemd there sees
/// the host's layout (cgroup v1 hybrid here).
/// </summary>
// The first run builds the Debian rootfs (debootstrap, ~300 MB: 4 minutes here); later runs take under
// a minute. Under tests/run.sh's 10-minute hang limit.
public sealed class SystemdLane() : Lane("the systemd lane", "Systemd/lane.sh", timeoutSeconds: 570);

/// <summary>
/// The systemd lane on a pure cgroup v2 host (tests/Lanes/Systemd/lane.sh
/// --cgroup-v2): the same container and checks, inside the cgroup v2 lane's VM.
/// </summary>
// lane.sh gives the VM what is left of 540 s after its preparation; the timeout only guards against
// lane.sh itself hanging.
public sealed class SystemdV2Lane() : Lane("the systemd lane on cgroup v2", "Systemd/lane.sh --cgroup-v2", timeoutSeconds: 570);
