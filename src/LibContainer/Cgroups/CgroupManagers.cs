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
        if (layout.Mode == CgroupMode.Unified)
            return new V2Manager(layout.HostDirectory(layout.Hierarchies.Single(h => h.IsV2), path));
        var paths = layout.Hierarchies.ToDictionary(h => h.Key, h => layout.HostDirectory(h, path));
        return new V1Manager(paths);
    }

    /// <summary>The manager of an existing container, from the paths saved in its state.</summary>
    public static ICgroupManager FromPaths(IReadOnlyDictionary<string, string> paths) =>
        paths.Count == 1 && paths.ContainsKey("") ? new V2Manager(paths[""]) : new V1Manager(paths);
}
