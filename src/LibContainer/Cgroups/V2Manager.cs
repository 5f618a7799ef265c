using LibContainer.Cgroups.Freezer;
using LibContainer.Cgroups.Stats;
using LibContainer.Spec;

namespace LibContainer.Cgroups;

/// <summary>cgroupfs v2: one directory in the unified hierarchy.</summary>
public sealed class V2Manager(string path) : ICgroupManager
{
    public const string DriverName = "cgroupfs-v2"; // the unified hierarchy alone

    public string Driver => DriverName;

    public IReadOnlyDictionary<string, string> Paths { get; } = new Dictionary<string, string> { [""] = path };

    public void Create() => CgroupDirectory.Create(path);

    public CgroupPlacement Placement => new([], path);

    public void SetResources(Resources? resources)
    {
        // Device control on v2 needs an eBPF program; until it exists, say so rather than run unconfined.
        if (resources?.Devices is { Count: > 0 })
            throw new ContainerError("linux.resources.devices: device control on cgroup v2 is not supported yet");
    }

    public IReadOnlyList<int> Pids() => CgroupDirectory.DistinctPids([path]);

    public void Destroy() => CgroupDirectory.Remove(path);

    public bool Exists() => CgroupDirectory.AnyExists([path]);

    public void Freeze() => V2Freezer.Freeze(path, HostCgroupFiles.Instance, V2Freezer.DefaultTimeout);

    public void Thaw() => V2Freezer.Thaw(path, HostCgroupFiles.Instance);

    public FreezerState ReadFreezerState() => V2Freezer.Read(path, HostCgroupFiles.Instance);

    public CgroupStats Stats() => V2Stats.Read(path, HostCgroupFiles.Instance);

    public ulong OomKillCount() => V2Stats.OomKillCount(path, HostCgroupFiles.Instance);
}
