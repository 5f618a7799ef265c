using LibContainer.Spec;

namespace LibContainer.Cgroups;

/// <summary>What the runtime needs of a cgroup driver: make it, put a process in it, limit it, remove it.</summary>
public interface ICgroupManager
{
    /// <summary>Host directories of the container's cgroup, by hierarchy key; saved in state.json.</summary>
    IReadOnlyDictionary<string, string> Paths { get; }

    void Create();

    void Apply(int pid);

    void SetResources(Resources? resources);

    /// <summary>PIDs of every process in the cgroup and below it.</summary>
    IReadOnlyList<int> Pids();

    /// <summary>Kills whatever is left inside and removes the directories.</summary>
    void Destroy();
}
