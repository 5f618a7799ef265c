namespace LibContainer.Cgroups;

/// <summary>Finds a v1 controller's directory among a container's cgroup paths, whose keys name hierarchies ("cpu,cpuacct", "freezer").</summary>
public static class V1Controllers
{
    /// <summary>The directory of the hierarchy that holds `controller`; null when no v1 hierarchy does.</summary>
    public static string? DirOf(IReadOnlyDictionary<string, string> paths, string controller)
    {
        foreach (var (key, dir) in paths)
            if (key.Length > 0 && Array.IndexOf(key.Split(','), controller) >= 0) return dir;
        return null;
    }
}
