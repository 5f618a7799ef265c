using LibContainer.Cgroups.Limits;
using LibContainer.Cgroups.Freezer;
using LibContainer.Cgroups.Stats;
using LibContainer.Spec;

namespace LibContainer.Cgroups;

/// <summary>cgroupfs v2: one directory in the unified hierarchy.</summary>
public sealed class V2Manager(string path, ICgroupFiles? files = null) : ICgroupManager
{
    public const string DriverName = "cgroupfs-v2"; // the unified hierarchy alone

    private readonly ICgroupFiles _files = files ?? HostCgroupFiles.Instance;

    public string Driver => DriverName;

    public IReadOnlyDictionary<string, string> Paths { get; } = new Dictionary<string, string> { [""] = path };

    /// <summary>Makes the directory with every controller the hierarchy has enabled down to it, as runc does.</summary>
    public void Create()
    {
        CgroupDirectory.Create(path);
        V2Tree.Enable(_files, path, V2Tree.Available(_files, path), bestEffort: true);
    }

    public CgroupPlacement Placement => new([], path);

    public void SetResources(Resources? resources)
    {
        if (resources is null) return;
        // v2 has no devices files: the rules become an eBPF program attached to the cgroup.
        if (resources.Devices is { Count: > 0 } devices) DeviceFilter.V2DeviceFilter.Apply(path, devices);
        Write(resources, update: false);
    }

    public void Update(Resources resources) => Write(resources, update: true);

    private void Write(Resources resources, bool update)
    {
        var host = new CgroupFacts(VersionOf, (_, file) => _files.Read(Path.Combine(path, file)));
        new LimitWriter(_files, _ => path).Apply(LimitPlan.For(resources, host), restoreOnFailure: update);
    }

    private CgroupVersion? VersionOf(string controller) =>
        controller == "cgroup" || V2Tree.Controllers(_files, path).Contains(controller) ? CgroupVersion.V2 : null;

    public IReadOnlyList<int> Pids() => CgroupDirectory.DistinctPids([path]);

    public void Destroy() => CgroupDirectory.Remove(path);

    public bool Exists() => CgroupDirectory.AnyExists([path]);

    public void Freeze() => V2Freezer.Freeze(path, _files, V2Freezer.DefaultTimeout);

    public void Thaw() => V2Freezer.Thaw(path, _files);

    public FreezerState ReadFreezerState() => V2Freezer.Read(path, _files);

    public CgroupStats Stats() => V2Stats.Read(path, _files);

    public ulong OomKillCount() => V2Stats.OomKillCount(path, _files);
}
