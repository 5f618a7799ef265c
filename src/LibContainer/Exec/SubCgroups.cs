namespace LibContainer.Exec;

/// <summary>
/// exec's `--cgroup [CONTROLLER[,CONTROLLER]:]PATH`, as runc 1.1: the process
/// goes to an existing cgroup below the container's, in every hierarchy (a
/// PATH alone, which is also cgroup v2's only form) or in the named
/// controllers' hierarchies (the others keep the container's cgroup).
/// </summary>
public static class SubCgroups
{
    /// <summary>The flags as a map of controller ("" for all) to the path below the container's cgroup.</summary>
    public static IReadOnlyDictionary<string, string> Parse(IReadOnlyList<string> args)
    {
        var paths = new Dictionary<string, string>();
        foreach (var arg in args)
        {
            var parts = arg.Split(':');
            if (parts.Length > 2 || parts[^1].Length == 0)
                throw new ContainerError($"--cgroup: \"{arg}\" is not [CONTROLLER:]PATH");
            if (parts.Length == 1)
            {
                if (args.Count != 1)
                    throw new ContainerError($"--cgroup: \"{arg}\" needs a CONTROLLER: prefix when --cgroup is given more than once");
                paths[""] = arg;
                continue;
            }
            foreach (var controller in parts[0].Split(','))
            {
                if (controller.Length == 0) throw new ContainerError($"--cgroup: \"{arg}\" has an empty controller name");
                paths[controller] = parts[1];
            }
        }
        return paths;
    }

    /// <summary>
    /// The container's cgroup directories (by hierarchy key, "" for v2) with
    /// the sub-cgroups applied. A path must stay below the container's cgroup
    /// and exist: exec never makes a cgroup, nor puts a process outside it.
    /// </summary>
    public static Dictionary<string, string> Apply(IReadOnlyDictionary<string, string> container, IReadOnlyDictionary<string, string> sub, Func<string, bool> exists)
    {
        var paths = new Dictionary<string, string>(container);
        if (sub.TryGetValue("", out var everywhere))
        {
            foreach (var (key, dir) in container) paths[key] = Below(dir, everywhere, exists);
            return paths;
        }
        foreach (var (controller, path) in sub)
        {
            var matched = false;
            foreach (var (key, dir) in container)
            {
                // A v1 key names its controllers ("cpu,cpuacct", "name=systemd"); "" is the unified hierarchy.
                if (key.Length == 0 || Array.IndexOf(key.Split(','), controller) < 0) continue;
                paths[key] = Below(dir, path, exists);
                matched = true;
            }
            if (!matched) throw new ContainerError($"--cgroup: the container has no cgroup for the controller \"{controller}\"");
        }
        return paths;
    }

    private static string Below(string dir, string sub, Func<string, bool> exists)
    {
        var full = Path.GetFullPath(Path.Join(dir, sub));
        if (!full.StartsWith(dir.TrimEnd('/') + "/", StringComparison.Ordinal))
            throw new ContainerError($"--cgroup: \"{sub}\" is not a cgroup below the container's ({dir})");
        if (!exists(full)) throw new ContainerError($"--cgroup: the container has no cgroup \"{sub}\": {full} does not exist (exec does not make one)");
        return full;
    }
}
