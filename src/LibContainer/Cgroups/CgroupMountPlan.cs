using LibContainer.Processes;
using LibContainer.Kernel;
using MS = LibContainer.Interop.MS;

namespace LibContainer.Cgroups;

public enum CgroupMountKind
{
    /// <summary>A new cgroup2 filesystem: inside a cgroup namespace it shows the container's cgroup as its root.</summary>
    Cgroup2,
    /// <summary>A bind of the container's cgroup v2 directory: without a cgroup namespace a new cgroup2 would show the host's whole tree.</summary>
    BindUnified,
    /// <summary>A tmpfs holding a bind of the container's directory in each v1 hierarchy (and "unified" on a hybrid host).</summary>
    TmpfsWithBinds,
}

/// <summary>
/// How the config's "cgroup" mount is made, decided apart from doing it (RootfsExecutor.MountCgroup).
/// `MountFlags` and `Data` are for the new filesystem (cgroup2 or the tmpfs);
/// `AttrSet`/`AttrClear` are the options as mount_setattr attributes, applied
/// afterwards to the whole tree, since a bind keeps its source's flags.
/// </summary>
public sealed record CgroupMountPlan(CgroupMountKind Kind, string Source, string FsType, ulong MountFlags, string Data, ulong AttrSet, ulong AttrClear)
{
    /// <param name="sources">The container's cgroup directories (InitConfig.CgroupMounts): only "" on a pure v2 host.</param>
    /// <param name="source">The mount's `source` from config.json ("cgroup" in runc's default).</param>
    /// <param name="cgroupNamespace">Whether init is in a cgroup namespace (linux.namespaces has "cgroup").</param>
    public static CgroupMountPlan For(IReadOnlyList<CgroupMountSource> sources, string? source, MountOptions options, bool cgroupNamespace)
    {
        // A mount of its own gets the options as mount(2) flags; BIND, REC and REMOUNT mean nothing to it.
        var flags = options.Flags & ~(MS.BIND | MS.REC | MS.REMOUNT);
        var (set, clear) = options.FlagsAsAttributes();
        if (sources is [{ Name: "" } unified])
        {
            if (cgroupNamespace)
                return new(CgroupMountKind.Cgroup2, string.IsNullOrEmpty(source) ? "cgroup" : source, "cgroup2", flags, options.Data, 0, 0);
            return new(CgroupMountKind.BindUnified, unified.HostPath, "", MS.BIND | MS.REC, "", set, clear);
        }
        // The tmpfs stays writable until the hierarchies' directories are made in it.
        return new(CgroupMountKind.TmpfsWithBinds, "tmpfs", "tmpfs", flags & ~MS.RDONLY, "mode=755", set, clear);
    }
}
