namespace LibContainer.Cgroups.Limits;

/// <summary>
/// One value written to one control file of the container's cgroup, in the
/// hierarchy that holds `Controller`, and the config field it comes from
/// (named in any error).
/// </summary>
public sealed record CgroupWrite(string Controller, string File, string Value, string Field)
{
    /// <summary>
    /// v1 cpu.cfs_period_us: the kernel refuses (EINVAL) a period that makes the
    /// old quota exceed the parent's; when so, it is written again after the next write (the quota).
    /// </summary>
    public bool RetryAfterNext { get; init; }

    /// <summary>v1 cpu.shares: the kernel clamps out-of-range values silently, so the value is read back and compared.</summary>
    public bool ReadBack { get; init; }
}
