using LibContainer.Spec;

namespace LibContainer.Cgroups.DeviceFilter;

/// <summary>
/// linux.resources.devices on cgroup v2, which has no devices.allow or
/// devices.deny: the rules are reduced as cgroup v1's devices controller
/// reduces them, and become an eBPF program (BPF_PROG_TYPE_CGROUP_DEVICE)
/// attached to the cgroup in place of any earlier one, so a container is
/// allowed the same devices on v1 and v2. Needs CAP_SYS_ADMIN.
/// </summary>
public static class V2DeviceFilter
{
    /// <summary>
    /// Puts the program for these rules on a cgroup v2 directory, replacing the
    /// one there before (create, and update with the new rules). The rules are
    /// DeviceRules.Effective(spec): the config's, then linux.devices, then the
    /// defaults, in that order, as DeviceRules.PlanV1 writes them on v1.
    /// </summary>
    public static void Apply(string cgroupDirectory, IReadOnlyList<DeviceRule> effectiveRules) =>
        DeviceProgramAttacher.Replace(cgroupDirectory, DeviceProgram.Generate(DevicePolicy.FromRules(effectiveRules)));
}
