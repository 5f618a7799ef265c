namespace LibContainer.Cgroups.Freezer;

/// <summary>Where a container's cgroup freezer stands; a container whose cgroup is frozen (or freezing) is paused.</summary>
public enum FreezerState
{
    /// <summary>Running: thawed, or no freezer to speak of (the controller is not there, or the cgroup is gone).</summary>
    Thawed,
    /// <summary>Asked to freeze, and not every process has stopped yet.</summary>
    Freezing,
    /// <summary>Every process in the cgroup is stopped.</summary>
    Frozen,
}
