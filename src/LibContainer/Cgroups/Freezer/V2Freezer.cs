namespace LibContainer.Cgroups.Freezer;

/// <summary>
/// cgroup v2's freezer: cgroup.freeze holds what was asked (0 or 1), and
/// cgroup.events says "frozen 1" once every process has stopped. The kernel
/// freezes asynchronously, so a freeze waits for that line, and gives up (and
/// thaws) after a bound rather than leave the cgroup half-frozen.
/// </summary>
internal static class V2Freezer
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(1), LongestPause = TimeSpan.FromMilliseconds(10);

    /// <summary>The freezer's state; Thawed when the cgroup is gone or the kernel has no v2 freezer (before 5.2).</summary>
    public static FreezerState Read(string dir, ICgroupFiles files)
    {
        var freeze = files.Read(Path.Combine(dir, "cgroup.freeze"));
        var events = freeze?.Trim() == "1" ? files.Read(Path.Combine(dir, "cgroup.events")) : null;
        return Parse(freeze, events, dir);
    }

    /// <summary>
    /// cgroup.freeze says whether this cgroup asked to be frozen (an ancestor's
    /// freeze does not show there, as runc sees it); cgroup.events whether it is done.
    /// </summary>
    public static FreezerState Parse(string? freeze, string? events, string dir) => freeze?.Trim() switch
    {
        null or "0" => FreezerState.Thawed,
        "1" => IsFrozen(events) ? FreezerState.Frozen : FreezerState.Freezing,
        var other => throw new ContainerError($"{Path.Combine(dir, "cgroup.freeze")} reads \"{other}\", which is neither 0 nor 1"),
    };

    /// <summary>Whether cgroup.events has the line "frozen 1".</summary>
    public static bool IsFrozen(string? events)
    {
        foreach (var line in (events ?? "").Split('\n'))
            if (line.Trim() == "frozen 1") return true;
        return false;
    }

    public static void Freeze(string dir, ICgroupFiles files, TimeSpan timeout)
    {
        var freezeFile = Path.Combine(dir, "cgroup.freeze");
        if (files.Read(freezeFile) is null)
            throw new ContainerError($"cannot freeze the container: {dir} has no cgroup.freeze (the cgroup v2 freezer needs Linux 5.2 or later)");
        files.Write(freezeFile, "1");
        try
        {
            var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds; // monotonic
            for (var pause = FirstPause; !IsFrozen(files.Read(Path.Combine(dir, "cgroup.events"))); pause = Min(pause * 2, LongestPause))
            {
                if (Environment.TickCount64 >= deadline)
                    throw new ContainerError($"cannot freeze the container: {dir} did not report \"frozen 1\" in cgroup.events within {timeout.TotalSeconds:0.###}s; it was thawed again");
                Thread.Sleep(pause);
            }
        }
        catch (ContainerError)
        {
            try { files.Write(freezeFile, "0"); } catch (ContainerError) { /* gone: nothing to thaw */ }
            throw;
        }
    }

    public static void Thaw(string dir, ICgroupFiles files)
    {
        var freezeFile = Path.Combine(dir, "cgroup.freeze");
        if (files.Read(freezeFile) is null) return; // no v2 freezer: nothing was frozen
        files.Write(freezeFile, "0");
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
