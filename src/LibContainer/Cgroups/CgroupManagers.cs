namespace LibContainer.Cgroups;

/// <summary>Chooses the cgroup driver for the host's layout.</summary>
public static class CgroupManagers
{
    /// <summary>A new container's cgroup: `cgroupsPath` from config.json, or the container ID under our own cgroup.</summary>
    public static ICgroupManager ForNewContainer(CgroupLayout layout, string? cgroupsPath, string id)
    {
        var path = string.IsNullOrEmpty(cgroupsPath) ? id : cgroupsPath;
        if (path.Contains(':') && !path.StartsWith('/'))
            throw new ContainerError($"linux.cgroupsPath \"{path}\" is a systemd path (slice:prefix:name): the systemd cgroup driver is not supported yet");
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
        }
        return layout.Mode == CgroupMode.Unified ? new V2Manager(paths[""]) : new V1Manager(paths);
    }

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

    /// <summary>The manager of an existing container, from the paths saved in its state.</summary>
    public static ICgroupManager FromPaths(IReadOnlyDictionary<string, string> paths) =>
        paths.Count == 1 && paths.ContainsKey("") ? new V2Manager(paths[""]) : new V1Manager(paths);
}
