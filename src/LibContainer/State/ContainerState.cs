namespace LibContainer.State;

/// <summary>What oci-run keeps about a container in ROOT/ID/state.json. Status is never stored: it is derived.</summary>
public sealed record ContainerState
{
    public required string Id { get; init; }
    public int Pid { get; init; }
    /// <summary>Field 22 of /proc/PID/stat when init started: tells a reused PID from ours.</summary>
    public ulong PidStartTime { get; init; }
    public required string Bundle { get; init; }
    public required string Rootfs { get; init; }
    /// <summary>When create finished, as RFC 3339 UTC text: stored as printed, so `list` parses no dates.</summary>
    public required string Created { get; init; }
    public uint Owner { get; init; }
    public Dictionary<string, string>? Annotations { get; init; }
    public Dictionary<string, string> CgroupPaths { get; init; } = [];
    /// <summary>The cgroup driver create used (ICgroupManager.Driver): later commands use the same one, not a guess.</summary>
    public string? CgroupDriver { get; init; }
    /// <summary>
    /// Set in the first record create writes, before it makes anything that
    /// could be left behind (cgroups, init), and cleared when it is done.
    /// </summary>
    public bool Creating { get; init; }
    /// <summary>The hooks `start` and `delete` run, kept from config.json: the bundle may have changed since.</summary>
    public List<Spec.Hook>? Poststart { get; init; }
    public List<Spec.Hook>? Poststop { get; init; }
}

/// <summary>runc's statuses; Paused is a created or running container whose cgroup is frozen.</summary>
public enum ContainerStatus { Creating, Created, Running, Paused, Stopped }

/// <summary>The OCI state document that `state` prints, and one entry of `list --format json`.</summary>
public sealed record OciState
{
    public required string OciVersion { get; init; }
    public required string Id { get; init; }
    public int Pid { get; init; }
    public required string Status { get; init; }
    public required string Bundle { get; init; }
    public required string Rootfs { get; init; }
    public required string Created { get; init; }
    public required string Owner { get; init; }
    public Dictionary<string, string>? Annotations { get; init; }
}
