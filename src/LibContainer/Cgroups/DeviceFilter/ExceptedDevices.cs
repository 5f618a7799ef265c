namespace LibContainer.Cgroups.DeviceFilter;

/// <summary>
/// One entry of cgroup v1's exception list: the devices a pattern matches and
/// the access that is excepted from the cgroup's default. A major or minor of
/// Wildcard (the kernel's ~0, written "*") matches every number.
/// </summary>
internal readonly record struct ExceptedDevices(DeviceType Type, uint Major, uint Minor, DeviceAccess Access)
{
    public const uint Wildcard = uint.MaxValue;

    /// <summary>Whether two exceptions are the same entry to the kernel: one pattern, whatever their access.</summary>
    public bool SamePattern(ExceptedDevices other) => Type == other.Type && Major == other.Major && Minor == other.Minor;
}
