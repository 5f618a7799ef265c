namespace LibContainer.Cgroups;

/// <summary>Chooses the cgroup driver for the host's layout.</summary>
public static class CgroupManagers
{
    /// <summary>A new container's cgroup: `cgroupsPath` from config.json, or the container ID under our own cgroup.</summary>
    public static ICgroupManager ForNewContainer(CgroupLayout layout, string? cgroupsPath, string id) =>
        ForNewContainer(layout, cgroupsPath, id, Interop.SmallFile.TryReadText);

    /// <summary>The same, reading the host's cgroup files through `readFile` (a file's text, null when it is missing).</summary>
    public static ICgroupManager ForNewContainer(CgroupLayout layout, string? cgroupsPath, string id, Func<string, string?> readFile)
    {
        var path = string.IsNullOrEmpty(cgroupsPath) ? id : cgroupsPath;
        if (path.Contains(':') && !path.StartsWith('/'))
            throw new ContainerError($"linux.cgroupsPath \"{path}\" is a systemd path (slice:prefix:name): it needs the systemd cgroup driver (--systemd-cgroup)");
        var paths = new Dictionary<string, string>();
        foreach (var h in layout.Hierarchies)
            if (layout.Mode != CgroupMode.Unified || h.IsV2)
                paths.Add(h.Key, layout.HostDirectory(h, path));
        foreach (var (key, dir) in paths)
        {
            // delete kills everything in the container's cgroup: it must be the container's alone.
            var mountPoint = MountPointOf(layout, key);
            if (dir.TrimEnd('/') == mountPoint)
                throw new ContainerError($"linux.cgroupsPath \"{path}\" is the root of the cgroup hierarchy at {mountPoint}: give the container a cgroup of its own");
            if (HoldsProcesses(dir))
                throw new ContainerError($"linux.cgroupsPath \"{path}\": {dir} already holds processes: give the container a cgroup of its own");
            // A frozen cgroup would freeze init as it joins, and create would wait for it forever.
            var isFreezer = key.Split(',').Contains("freezer");
            if ((isFreezer || key == "") && FrozenAt(dir, mountPoint, v2: key == "", readFile) is { } frozen)
            {
                var which = frozen == dir ? dir : $"{dir}'s ancestor {frozen}";
                var thaw = key == "" ? "write 0 to its cgroup.freeze" : "write THAWED to its freezer.state";
                throw new ContainerError($"linux.cgroupsPath \"{path}\": {which} is frozen: thaw it ({thaw}) or give the container another cgroup");
            }
        }
        return layout.Mode == CgroupMode.Unified ? new V2Manager(paths[""]) : new V1Manager(paths);
    }

    /// <summary>
    /// `dir`, or the nearest ancestor of it that exists, when that cgroup is
    /// frozen (v1 freezer.state FROZEN or FREEZING, v2 cgroup.events "frozen 1");
    /// null otherwise. Both files show the state inherited from ancestors too,
    /// and the hierarchy's root has neither: it cannot be frozen.
    /// </summary>
    internal static string? FrozenAt(string dir, string mountPoint, bool v2, Func<string, string?> readFile)
    {
        for (var level = dir.TrimEnd('/'); level.Length > mountPoint.Length; level = Path.GetDirectoryName(level)!)
        {
            var text = readFile(Path.Combine(level, v2 ? "cgroup.events" : "freezer.state"));
            if (text is null) continue; // not made yet: its parent decides
            return IsFrozen(text, v2) ? level : null;
        }
        return null;
    }

    // Unlike a paused container's state, a freeze through an ancestor counts here: it would stop init all the same.
    private static bool IsFrozen(string text, bool v2) => v2 ? Freezer.V2Freezer.IsFrozen(text) : text.Trim() is "FROZEN" or "FREEZING";

    // The mount point of the first hierarchy with this key, without a trailing '/'.
    private static string MountPointOf(CgroupLayout layout, string key)
    {
        foreach (var h in layout.Hierarchies)
            if (h.Key == key) return h.MountPoint.TrimEnd('/');
        throw new InvalidOperationException($"no cgroup hierarchy \"{key}\"");
    }

    // Stops at the first pid: no need to walk the whole tree.
    private static bool HoldsProcesses(string dir)
    {
        foreach (var _ in CgroupDirectory.Pids(dir)) return true;
        return false;
    }

    /// <summary>
    /// The manager of an existing container: the driver saved in its state, with
    /// its paths. A state written before the driver was saved (null) has it
    /// inferred from the paths.
    /// </summary>
    public static ICgroupManager FromState(string? driver, IReadOnlyDictionary<string, string> paths) => driver switch
    {
        V1Manager.DriverName => new V1Manager(paths),
        V2Manager.DriverName when paths.ContainsKey("") => new V2Manager(paths[""]),
        Systemd.SystemdManager.DriverName => Systemd.SystemdCgroups.FromState(paths),
        null => FromPaths(paths),
        _ => throw new ContainerError($"the container's state names the cgroup driver \"{driver}\", which this oci-run does not know (state.json from another version?)"),
    };

    /// <summary>The manager the saved paths imply: v2 with only the unified key, else v1 (and hybrid).</summary>
    public static ICgroupManager FromPaths(IReadOnlyDictionary<string, string> paths) =>
        paths.Count == 1 && paths.ContainsKey("") ? new V2Manager(paths[""]) : new V1Manager(paths);
}
