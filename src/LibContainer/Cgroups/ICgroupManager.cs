using LibContainer.Cgroups.Freezer;
using LibContainer.Cgroups.Stats;
using LibContainer.Spec;

namespace LibContainer.Cgroups;

/// <summary>
/// Where a new init goes. Writing a PID to cgroup.procs takes a global lock
/// that waits for an RCU grace period (about 10 ms per container); a process
/// moving its own single thread through a v1 "tasks" file, or being cloned
/// into a v2 cgroup (CLONE_INTO_CGROUP), does not.
/// </summary>
public sealed record CgroupPlacement(IReadOnlyList<string> V1TaskFiles, string? V2Directory);

/// <summary>What the runtime needs of a cgroup driver: make it, put a process in it, limit it, pause it, measure it, remove it.</summary>
public interface ICgroupManager
{
    /// <summary>Which driver this is ("cgroupfs-v1", "cgroupfs-v2"); saved in state.json, so a later command uses the same one.</summary>
    string Driver { get; }

    /// <summary>Host directories of the container's cgroup, by hierarchy key; saved in state.json.</summary>
    IReadOnlyDictionary<string, string> Paths { get; }

    void Create();

    /// <summary>How a new init joins: the C stage writes "0" to each v1 tasks file, and forks init straight into the v2 directory.</summary>
    CgroupPlacement Placement { get; }

    /// <summary>Writes linux.resources at create: devices, then every limit the config sets.</summary>
    void SetResources(Resources? resources);

    /// <summary>
    /// Writes new limits to a live container (`update`): devices are not
    /// rewritten (as runc), and if a write fails the limits it had are written back.
    /// </summary>
    void Update(Resources resources);

    /// <summary>PIDs of every process in the cgroup and below it.</summary>
    IReadOnlyList<int> Pids();

    /// <summary>Kills whatever is left inside and removes the directories.</summary>
    void Destroy();

    /// <summary>Whether any directory of the cgroup is still there.</summary>
    bool Exists();

    /// <summary>Stops every process in the cgroup and returns once all are stopped; on failure the cgroup is thawed again.</summary>
    void Freeze();

    /// <summary>Lets the processes run again; nothing to do where no freezer exists.</summary>
    void Thaw();

    /// <summary>Whether the cgroup is frozen by its own freezer (an ancestor's freeze does not count, as in runc).</summary>
    FreezerState ReadFreezerState();

    /// <summary>Resource usage from the cgroup files that exist; a controller that is not there is null.</summary>
    CgroupStats Stats();

    /// <summary>How many processes the kernel's OOM killer has killed in the cgroup; 0 without a memory controller.</summary>
    ulong OomKillCount();
}
