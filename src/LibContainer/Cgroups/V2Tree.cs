namespace LibContainer.Cgroups;

/// <summary>
/// The cgroup v2 rule that a controller reaches a cgroup only when every
/// ancestor enables it in cgroup.subtree_control, from the hierarchy's root
/// down to the cgroup's parent.
/// </summary>
internal static class V2Tree
{
    /// <summary>The controllers `dir` can use now (its cgroup.controllers); empty when it does not exist.</summary>
    public static string[] Controllers(ICgroupFiles files, string dir) =>
        (files.Read(Path.Combine(dir, "cgroup.controllers")) ?? "").Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The controllers bound to this v2 hierarchy at all: its root's cgroup.controllers.</summary>
    public static string[] Available(ICgroupFiles files, string dir)
    {
        var levels = Ancestors(files, dir);
        return Controllers(files, levels.Count > 0 ? levels[0] : dir);
    }

    /// <summary>
    /// Enables `controllers` down to `dir`. With `bestEffort` (as runc at create),
    /// a level that refuses one (it holds processes itself: EBUSY) is skipped,
    /// and the limit that needs it fails later, naming its field; without it, that is an error.
    /// </summary>
    public static void Enable(ICgroupFiles files, string dir, IReadOnlyCollection<string> controllers, bool bestEffort)
    {
        foreach (var level in Ancestors(files, dir))
        {
            var file = Path.Combine(level, "cgroup.subtree_control");
            var enabled = (files.Read(file) ?? "").Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            foreach (var controller in controllers)
            {
                if (enabled.Contains(controller)) continue;
                var errno = files.TryWrite(file, "+" + controller);
                if (errno != 0 && !bestEffort)
                    throw ContainerError.FromErrno($"enable the {controller} controller in {file}", errno);
            }
        }
    }

    // From the hierarchy's root (the topmost directory with cgroup.controllers) down to dir's parent.
    private static List<string> Ancestors(ICgroupFiles files, string dir)
    {
        var levels = new List<string>();
        for (var level = Path.GetDirectoryName(dir.TrimEnd('/')); level is not null && files.Read(Path.Combine(level, "cgroup.controllers")) is not null; level = Path.GetDirectoryName(level))
            levels.Add(level);
        levels.Reverse();
        return levels;
    }
}
