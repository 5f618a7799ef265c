namespace LibContainer.Cgroups.Systemd;

/// <summary>Where a systemd unit's cgroup is in each hierarchy, and the driver for a new or saved container.</summary>
public static class SystemdCgroups
{
    /// <summary>
    /// A new container's driver: its unit from cgroupsPath, the unit's directory
    /// in every hierarchy the cgroupfs driver would use (below PID 1's cgroup,
    /// less "init.scope", as runc), and `stage0` for StartTransientUnit's PIDs.
    /// </summary>
    public static SystemdManager ForNewContainer(CgroupLayout layout, string? cgroupsPath, string id, int stage0, string initCgroup, Func<ISystemdBus> connect, Action<string>? warn = null)
    {
        var path = SystemdPath.Parse(cgroupsPath, id);
        var paths = PathsOf(layout, InitPaths(initCgroup), path.CgroupPath);
        var v2 = layout.Mode == CgroupMode.Unified;
        ICgroupManager inner = v2 ? new V2Manager(paths[""]) : new V1Manager(paths);
        return new SystemdManager(path, inner, v2, stage0, connect, warn);
    }

    /// <summary>The host's: /proc/1/cgroup and the system bus.</summary>
    public static SystemdManager ForNewContainer(CgroupLayout layout, string? cgroupsPath, string id, int stage0, Action<string>? warn = null) =>
        ForNewContainer(layout, cgroupsPath, id, stage0, Interop.SmallFile.TryReadText("/proc/1/cgroup") ?? "", Connect, warn);

    /// <summary>A saved container's: the unit is the last part of any of its paths; v2 when only the unified one is there.</summary>
    public static SystemdManager FromState(IReadOnlyDictionary<string, string> paths)
    {
        string? unit = null;
        foreach (var dir in paths.Values) unit = Path.GetFileName(dir.TrimEnd('/'));
        if (string.IsNullOrEmpty(unit)) throw new ContainerError("the container's state has no cgroup paths for its systemd unit (state.json damaged?)");
        return new SystemdManager(unit, CgroupManagers.FromPaths(paths), paths.Count == 1 && paths.ContainsKey(""), Connect);
    }

    private static ISystemdBus Connect() => DBusSystemdBus.Connect();

    internal static Dictionary<string, string> PathsOf(CgroupLayout layout, IReadOnlyDictionary<string, string> initPaths, string unitPath)
    {
        var paths = new Dictionary<string, string>();
        foreach (var h in layout.Hierarchies)
        {
            if (layout.Mode == CgroupMode.Unified && !h.IsV2) continue;
            // systemd v226 and later keeps itself in init.scope: its units are beside it.
            var init = initPaths.GetValueOrDefault(h.Key, "/");
            if (init.EndsWith("/init.scope", StringComparison.Ordinal)) init = init[..^"init.scope".Length];
            paths[h.Key] = layout.HostDirectory(h, "/" + Path.Join(init.Trim('/'), unitPath));
        }
        return paths;
    }

    // /proc/1/cgroup: "ID:controllers:path" lines; the v2 line's key is "".
    internal static Dictionary<string, string> InitPaths(string procCgroup)
    {
        var paths = new Dictionary<string, string>();
        foreach (var line in procCgroup.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(':', 3);
            if (parts.Length == 3) paths[parts[0] == "0" ? "" : parts[1]] = parts[2];
        }
        return paths;
    }
}
