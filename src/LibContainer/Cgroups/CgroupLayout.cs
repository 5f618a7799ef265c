namespace LibContainer.Cgroups;

public enum CgroupMode { Legacy, Hybrid, Unified }

/// <summary>One mounted cgroup hierarchy. Key is how /proc/self/cgroup names it ("memory", "cpu,cpuacct", "name=systemd", "" for v2).</summary>
public sealed record Hierarchy(string Key, string MountPoint, string MountRoot, bool IsV2);

/// <summary>The host's cgroup hierarchies and this process's place in them, read from /proc, never assumed.</summary>
public sealed record CgroupLayout(CgroupMode Mode, IReadOnlyList<Hierarchy> Hierarchies, IReadOnlyDictionary<string, string> OwnPaths)
{
    public static CgroupLayout Detect() =>
        Parse(Interop.SmallFile.TryReadText("/proc/self/mountinfo") ?? "", Interop.SmallFile.TryReadText("/proc/self/cgroup") ?? "");

    public static CgroupLayout Parse(string mountinfo, string procCgroup)
    {
        var hierarchies = new List<Hierarchy>();
        foreach (var (root, mountPoint, fsType, superOptions) in Interop.MountInfo.Parse(mountinfo))
        {
            Hierarchy? h = fsType switch
            {
                "cgroup2" => new Hierarchy("", mountPoint, root, true),
                "cgroup" => new Hierarchy(V1Key(superOptions), mountPoint, root, false),
                _ => null,
            };
            // A hierarchy mounted twice (or shadowed) is used at its first mount point.
            if (h is not null && !hierarchies.Exists(x => x.Key == h.Key && x.IsV2 == h.IsV2))
                hierarchies.Add(h);
        }

        var own = new Dictionary<string, string>();
        foreach (var line in procCgroup.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(':', 3);
            if (parts.Length == 3) own[parts[0] == "0" ? "" : parts[1]] = parts[2];
        }

        var hasV1 = hierarchies.Exists(h => !h.IsV2);
        var hasV2 = hierarchies.Exists(h => h.IsV2);
        var mode = hasV1 ? (hasV2 ? CgroupMode.Hybrid : CgroupMode.Legacy) : CgroupMode.Unified;
        if (!hasV1 && !hasV2) throw new ContainerError("no cgroup filesystem is mounted: mount cgroup2 on /sys/fs/cgroup");
        // In hybrid mode only the v1 controllers matter, plus the unified tree if it holds controllers.
        return new CgroupLayout(mode, hierarchies, own);
    }

    /// <summary>
    /// The host directory for `cgroupPath` in a hierarchy, as runc finds it: an
    /// absolute path from the hierarchy's root, a relative one below our own
    /// cgroup. The path is cleaned first (CleanPath), so ".." never climbs out.
    /// </summary>
    public string HostDirectory(Hierarchy h, string cgroupPath)
    {
        var clean = CleanPath(cgroupPath);
        var absolute = clean.StartsWith('/')
            ? clean
            : Path.GetFullPath(Path.Join(OwnPaths.GetValueOrDefault(h.Key, "/"), clean));
        var root = h.MountRoot.TrimEnd('/');
        var inside = absolute == root ? "" : absolute.StartsWith(root + "/", StringComparison.Ordinal) ? absolute[root.Length..] : absolute;
        return (h.MountPoint.TrimEnd('/') + inside).TrimEnd('/');
    }

    /// <summary>
    /// runc's utils.CleanPath: folds ".", ".." and repeated slashes; a relative
    /// path is folded as if it hung from "/" and stays relative, so
    /// "../../x" is "x" and ".." is ".".
    /// </summary>
    public static string CleanPath(string path)
    {
        if (path.Length == 0) return "";
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(part);
        }
        var joined = string.Join('/', parts);
        if (path.StartsWith('/')) return "/" + joined;
        return joined.Length == 0 ? "." : joined;
    }

    private static string V1Key(string superOptions)
    {
        var known = new List<string>();
        foreach (var o in superOptions.Split(','))
            if (o != "rw" && o != "ro" && !o.StartsWith("release_agent") && o != "clone_children" && o != "noprefix" && o != "xattr" && o != "cpuset_v2_mode" && o != "nsdelegate" && o != "favordynmods")
                known.Add(o);
        return string.Join(',', known);
    }
}
