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
        var hierarchies = layout.Mode == CgroupMode.Unified ? layout.Hierarchies.Where(h => h.IsV2) : layout.Hierarchies;
        var paths = hierarchies.ToDictionary(h => h.Key, h => layout.HostDirectory(h, path));
        foreach (var (key, dir) in paths)
        {
            // delete kills everything in the container's cgroup: it must be the container's alone.
            var mountPoint = layout.Hierarchies.First(h => h.Key == key).MountPoint.TrimEnd('/');
            if (dir.TrimEnd('/') == mountPoint)
                throw new ContainerError($"linux.cgroupsPath \"{path}\" is the root of the cgroup hierarchy at {mountPoint}: give the container a cgroup of its own");
            if (CgroupDirectory.Pids(dir).Any())
                throw new ContainerError($"linux.cgroupsPath \"{path}\": {dir} already holds processes: give the container a cgroup of its own");
        }
        return layout.Mode == CgroupMode.Unified ? new V2Manager(paths[""]) : new V1Manager(paths);
    }

    /// <summary>The manager of an existing container, from the paths saved in its state.</summary>
    public static ICgroupManager FromPaths(IReadOnlyDictionary<string, string> paths) =>
        paths.Count == 1 && paths.ContainsKey("") ? new V2Manager(paths[""]) : new V1Manager(paths);
}
