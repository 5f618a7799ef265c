namespace LibContainer.Cgroups.Freezer;

/// <summary>
/// cgroup v1's freezer: freezer.state reads THAWED, FREEZING or FROZEN. A
/// freeze can stay FREEZING while processes keep forking into the cgroup, so
/// it is written again until it reads FROZEN, now and then thawing for a
/// moment to let such a burst settle, and is given up (and thawed) after a
/// bound rather than left half-frozen.
/// </summary>
internal static class V1Freezer
{
    public const int MaxAttempts = 1000;
    private const int ThawEvery = 50, PauseEvery = 25;
    private static readonly TimeSpan ThawPause = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan ReadPause = TimeSpan.FromMilliseconds(1);

    /// <summary>What one attempt does besides writing FROZEN: thaw first (and wait), or wait a little before reading the state back.</summary>
    public readonly record struct Attempt(bool ThawFirst, bool PauseBeforeRead);

    public enum Outcome { Frozen, StillFreezing, Unexpected }

    /// <summary>The freezer's state; Thawed when `dir` is null (no freezer hierarchy) or the cgroup is gone.</summary>
    public static FreezerState Read(string? dir, ICgroupFiles files)
    {
        if (dir is null) return FreezerState.Thawed;
        var state = files.Read(Path.Combine(dir, "freezer.state"));
        // Only a frozen or freezing cgroup needs the second file.
        var self = state is null || state.Trim() == "THAWED" ? null : files.Read(Path.Combine(dir, "freezer.self_freezing"));
        return Parse(state, self, dir);
    }

    /// <summary>
    /// freezer.state, and freezer.self_freezing where it exists: a cgroup frozen
    /// only through an ancestor (self_freezing 0) is not the container's pause,
    /// and is Thawed as far as pause and resume go, as runc sees it.
    /// </summary>
    public static FreezerState Parse(string? state, string? selfFreezing, string dir)
    {
        var text = state?.Trim();
        if (text is null or "THAWED") return FreezerState.Thawed;
        if (selfFreezing?.Trim() == "0") return FreezerState.Thawed;
        return text switch
        {
            "FROZEN" => FreezerState.Frozen,
            "FREEZING" => FreezerState.Freezing,
            _ => throw new ContainerError($"{Path.Combine(dir, "freezer.state")} reads \"{text}\", which is not a freezer state this oci-run knows"),
        };
    }

    /// <summary>The plan of attempt `n` (from 0).</summary>
    public static Attempt PlanAttempt(int n) => new(ThawFirst: n % ThawEvery == ThawEvery - 1, PauseBeforeRead: n % PauseEvery == PauseEvery - 1);

    /// <summary>What the state read back after writing FROZEN means.</summary>
    public static Outcome Judge(string? stateAfterWrite) => stateAfterWrite?.Trim() switch
    {
        "FROZEN" => Outcome.Frozen,
        "FREEZING" => Outcome.StillFreezing,
        _ => Outcome.Unexpected,
    };

    public static void Freeze(string? dir, ICgroupFiles files)
    {
        if (dir is null)
            throw new ContainerError("cannot freeze the container: no cgroup v1 freezer hierarchy is mounted (mount one at /sys/fs/cgroup/freezer)");
        var stateFile = Path.Combine(dir, "freezer.state");
        try
        {
            for (var n = 0; n < MaxAttempts; n++)
            {
                var attempt = PlanAttempt(n);
                if (attempt.ThawFirst)
                {
                    files.Write(stateFile, "THAWED");
                    Thread.Sleep(ThawPause);
                }
                files.Write(stateFile, "FROZEN");
                if (attempt.PauseBeforeRead) Thread.Sleep(ReadPause);
                var read = files.Read(stateFile);
                switch (Judge(read))
                {
                    case Outcome.Frozen:
                        return;
                    case Outcome.Unexpected:
                        throw new ContainerError(read is null
                            ? $"cannot freeze the container: {dir} is gone"
                            : $"cannot freeze the container: {stateFile} reads \"{read.Trim()}\" after FROZEN was written");
                }
            }
            throw new ContainerError($"cannot freeze the container: {stateFile} still reads FREEZING after {MaxAttempts} attempts (a process in it may be stuck in the kernel); it was thawed again");
        }
        catch (ContainerError)
        {
            // A cgroup left FREEZING or FROZEN by a failed pause would hang whatever runs in it.
            try { files.Write(stateFile, "THAWED"); } catch (ContainerError) { /* gone: nothing to thaw */ }
            throw;
        }
    }

    public static void Thaw(string? dir, ICgroupFiles files)
    {
        if (dir is null) return; // without a freezer nothing was frozen
        files.Write(Path.Combine(dir, "freezer.state"), "THAWED");
    }
}
