using LibContainer.Cgroups.Freezer;
using LibContainer.Cgroups.Stats;
using LibContainer.Spec;

namespace LibContainer.Cgroups;

/// <summary>cgroupfs v1 (and hybrid): one directory per mounted hierarchy.</summary>
public sealed class V1Manager(IReadOnlyDictionary<string, string> paths) : ICgroupManager
{
    public const string DriverName = "cgroupfs-v1"; // v1 hierarchies (and, on a hybrid host, the unified one)

    public string Driver => DriverName;

    public IReadOnlyDictionary<string, string> Paths { get; } = paths;

    public void Create()
    {
        foreach (var (key, dir) in Paths)
        {
            if (key.Split(',').Contains("cpuset")) CgroupDirectory.CreateCpuset(dir);
            else CgroupDirectory.Create(dir);
        }
    }

    // In hybrid mode the unified hierarchy is the "" entry: it is joined by CLONE_INTO_CGROUP.
    public CgroupPlacement Placement
    {
        get
        {
            var taskFiles = new List<string>();
            foreach (var (key, dir) in Paths)
                if (key != "") taskFiles.Add(Path.Combine(dir, "tasks"));
            return new(taskFiles, Paths.GetValueOrDefault(""));
        }
    }

    public void SetResources(Resources? resources)
    {
        if (resources?.Devices is not { Count: > 0 }) return;
        if (!Paths.TryGetValue("devices", out var dir))
            throw new ContainerError("linux.resources.devices: the devices cgroup controller is not mounted");
        foreach (var (file, line) in DeviceRules.PlanV1(resources.Devices))
            CgroupDirectory.Write(dir, file, line);
    }

    public IReadOnlyList<int> Pids() => CgroupDirectory.DistinctPids(Paths.Values);

    public void Destroy()
    {
        foreach (var dir in Paths.Values) CgroupDirectory.Remove(dir);
    }

    public bool Exists() => CgroupDirectory.AnyExists(Paths.Values);

    public void Freeze() => V1Freezer.Freeze(V1Controllers.DirOf(Paths, "freezer"), HostCgroupFiles.Instance);

    public void Thaw() => V1Freezer.Thaw(V1Controllers.DirOf(Paths, "freezer"), HostCgroupFiles.Instance);

    public FreezerState ReadFreezerState() => V1Freezer.Read(V1Controllers.DirOf(Paths, "freezer"), HostCgroupFiles.Instance);

    public CgroupStats Stats() => V1Stats.Read(Paths, HostCgroupFiles.Instance);

    public ulong OomKillCount() => V1Stats.OomKillCount(Paths, HostCgroupFiles.Instance);
}
