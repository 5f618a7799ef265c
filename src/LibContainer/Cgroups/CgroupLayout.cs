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
        foreach (var line in mountinfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var dash = line.IndexOf(" - ", StringComparison.Ordinal);
            if (dash < 0) continue;
            var fields = line[..dash].Split(' ');
            var tail = line[(dash + 3)..].Split(' ');
            if (fields.Length < 5 || tail.Length < 3) continue;
            var (root, mountPoint, fsType) = (Unescape(fields[3]), Unescape(fields[4]), tail[0]);
            Hierarchy? h = fsType switch
            {
                "cgroup2" => new Hierarchy("", mountPoint, root, true),
                "cgroup" => new Hierarchy(V1Key(tail[2]), mountPoint, root, false),
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

    /// <summary>The host directory for `cgroupPath` (absolute, or relative to our own cgroup) in a hierarchy.</summary>
    public string HostDirectory(Hierarchy h, string cgroupPath)
    {
        var absolute = cgroupPath.StartsWith('/')
            ? cgroupPath
            : Path.Combine(OwnPaths.GetValueOrDefault(h.Key, "/"), cgroupPath);
        absolute = Path.GetFullPath(absolute); // folds "..", so a path can't climb above the hierarchy
        var root = h.MountRoot.TrimEnd('/');
        var inside = absolute.StartsWith(root + "/", StringComparison.Ordinal) ? absolute[root.Length..] : absolute;
        return h.MountPoint.TrimEnd('/') + inside;
    }

    private static string V1Key(string superOptions)
    {
        var known = new List<string>();
        foreach (var o in superOptions.Split(','))
            if (o != "rw" && o != "ro" && !o.StartsWith("release_agent") && o != "clone_children" && o != "noprefix" && o != "xattr" && o != "cpuset_v2_mode" && o != "nsdelegate" && o != "favordynmods")
                known.Add(o);
        return string.Join(',', known);
    }

    private static string Unescape(string s) => s.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");
}
