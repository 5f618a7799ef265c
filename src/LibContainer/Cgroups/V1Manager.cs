using LibContainer.Cgroups.Limits;
using LibContainer.Cgroups.Freezer;
using LibContainer.Cgroups.Stats;
using LibContainer.Spec;

namespace LibContainer.Cgroups;

/// <summary>
/// cgroupfs v1 (and hybrid): one directory per mounted hierarchy. On a hybrid
/// host a controller bound to the unified hierarchy (here, hugetlb) is used
/// there, in the container's directory of the "" key.
/// </summary>
public sealed class V1Manager(IReadOnlyDictionary<string, string> paths, ICgroupFiles? files = null) : ICgroupManager
{
    public const string DriverName = "cgroupfs-v1"; // v1 hierarchies (and, on a hybrid host, the unified one)

    private readonly ICgroupFiles _files = files ?? HostCgroupFiles.Instance;

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
        if (resources is null) return;
        if (resources.Devices is { Count: > 0 })
        {
            if (V1Directory("devices") is not { } dir)
                throw new ContainerError("linux.resources.devices: the devices cgroup controller is not mounted");
            foreach (var (file, line) in DeviceRules.PlanV1(resources.Devices))
                CgroupDirectory.Write(dir, file, line);
        }
        Write(resources, update: false);
    }

    public void Update(Resources resources) => Write(resources, update: true);

    private void Write(Resources resources, bool update)
    {
        var host = new CgroupFacts(VersionOf, (controller, file) => _files.Read(Path.Combine(DirectoryOf(controller), file)));
        new LimitWriter(_files, DirectoryOf).Apply(LimitPlan.For(resources, host), restoreOnFailure: update);
    }

    private string? V1Directory(string controller)
    {
        foreach (var (key, dir) in Paths)
            if (key.Length > 0 && key.Split(',').Contains(controller)) return dir;
        return null;
    }

    private string DirectoryOf(string controller) => V1Directory(controller) ?? Paths[""];

    private CgroupVersion? VersionOf(string controller)
    {
        if (V1Directory(controller) is not null) return CgroupVersion.V1;
        if (!Paths.TryGetValue("", out var unified)) return null;
        if (controller == "cgroup") return CgroupVersion.V2; // cgroup.* files of the unified key
        if (!V2Tree.Available(_files, unified).Contains(controller)) return null;
        // Enabled on first use only: a hybrid host's unified tree is left as it is unless a limit needs it.
        V2Tree.Enable(_files, unified, [controller], bestEffort: false);
        return CgroupVersion.V2;
    }

    public IReadOnlyList<int> Pids() => CgroupDirectory.DistinctPids(Paths.Values);

    public void Destroy()
    {
        foreach (var dir in Paths.Values) CgroupDirectory.Remove(dir);
    }

    public bool Exists() => CgroupDirectory.AnyExists(Paths.Values);

    public void Freeze() => V1Freezer.Freeze(V1Controllers.DirOf(Paths, "freezer"), _files);

    public void Thaw() => V1Freezer.Thaw(V1Controllers.DirOf(Paths, "freezer"), _files);

    public FreezerState ReadFreezerState() => V1Freezer.Read(V1Controllers.DirOf(Paths, "freezer"), _files);

    public CgroupStats Stats() => V1Stats.Read(Paths, _files);

    public ulong OomKillCount() => V1Stats.OomKillCount(Paths, _files);
}
