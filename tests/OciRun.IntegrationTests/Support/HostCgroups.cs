namespace OciRun.IntegrationTests.Support;

/// <summary>One cgroup hierarchy mounted on the host: its controllers ("pids", "name=systemd"; none for v2).</summary>
public sealed record CgroupHierarchy(string MountPoint, string MountRoot, bool IsV2, IReadOnlyList<string> Controllers)
{
    /// <summary>The host directory of an absolute cgroup path in this hierarchy.</summary>
    public string Dir(string cgroupPath)
    {
        var root = MountRoot.TrimEnd('/');
        var inside = root.Length > 0 && cgroupPath.StartsWith(root + "/", StringComparison.Ordinal) ? cgroupPath[root.Length..] : cgroupPath;
        return MountPoint.TrimEnd('/') + inside;
    }
}

/// <summary>
/// The host's cgroup hierarchies, read from /proc/self/mountinfo as the
/// runtime reads them (every cgroup and cgroup2 mount), so the tests hold on
/// v1, v2 and hybrid hosts alike. Kept apart from the product's parser: the
/// tests check the binary from outside.
/// </summary>
public static class HostCgroups
{
    public static IReadOnlyList<CgroupHierarchy> Hierarchies { get; } = Read();

    /// <summary>The v1 hierarchy that holds a controller, or null (pure v2 host, or the controller is not mounted as v1).</summary>
    public static CgroupHierarchy? V1(string controller) =>
        Hierarchies.FirstOrDefault(h => !h.IsV2 && h.Controllers.Contains(controller));

    /// <summary>Whether the host mounts cgroup v1 hierarchies (a v1 or hybrid host).</summary>
    public static bool HasV1 => Hierarchies.Any(h => !h.IsV2);

    /// <summary>Where a cgroup's processes are listed: the v2 tree if there is one (every process is in it), else any v1 hierarchy.</summary>
    public static CgroupHierarchy Any => Hierarchies.FirstOrDefault(h => h.IsV2) ?? Hierarchies[0];

    /// <summary>The host directories of a cgroup path that exist now, one per hierarchy at most.</summary>
    public static List<string> ExistingDirs(string cgroupPath) =>
        Hierarchies.Select(h => h.Dir(cgroupPath)).Where(Directory.Exists).ToList();

    private static List<CgroupHierarchy> Read()
    {
        var hierarchies = new List<CgroupHierarchy>();
        foreach (var line in File.ReadAllLines("/proc/self/mountinfo"))
        {
            // "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS"
            var halves = line.Split(" - ", 2);
            if (halves.Length != 2) continue;
            var fields = halves[0].Split(' ');
            var tail = halves[1].Split(' ');
            if (tail[0] is not ("cgroup" or "cgroup2")) continue;
            var isV2 = tail[0] == "cgroup2";
            var controllers = isV2 ? [] : tail[2].Split(',').Where(o => o is not ("rw" or "ro") && !o.StartsWith("release_agent=")).ToList();
            // A hierarchy mounted twice is used at its first mount point, as the runtime does.
            if (hierarchies.Any(h => h.IsV2 == isV2 && h.Controllers.SequenceEqual(controllers))) continue;
            hierarchies.Add(new CgroupHierarchy(Unescape(fields[4]), Unescape(fields[3]), isV2, controllers));
        }
        if (hierarchies.Count == 0) throw new InvalidOperationException("no cgroup filesystem is mounted on this host");
        return hierarchies;
    }

    private static string Unescape(string s) => s.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");
}
