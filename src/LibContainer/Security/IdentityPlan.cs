using LibContainer.Kernel;
using LibContainer.Spec;

namespace LibContainer.Security;

/// <summary>One rlimit to set: its number, limits, and its name for errors.</summary>
public sealed record RlimitSetting(int Resource, ulong Soft, ulong Hard, string Name);

/// <summary>The capability sets the process gets; the bounding set holds every capability not dropped.</summary>
public sealed record CapabilitySets(ulong Bounding, ulong Effective, ulong Permitted, ulong Inheritable, ulong Ambient);

/// <summary>
/// Who the container's process is, decided from the spec and the kernel's last
/// capability: rlimits, groups and ids, capability sets (null: the config says
/// nothing, so they are left as they are), umask and no_new_privs.
/// IdentityExecutor carries it out.
/// </summary>
public sealed record IdentityPlan(
    IReadOnlyList<RlimitSetting> Rlimits,
    uint[] Groups,
    uint Uid,
    uint Gid,
    CapabilitySets? Capabilities,
    int LastCap,
    uint Umask,
    bool NoNewPrivileges)
{
    public static IdentityPlan For(Process process, int lastCap)
    {
        var rlimits = new List<RlimitSetting>();
        foreach (var r in process.Rlimits ?? [])
            rlimits.Add(new RlimitSetting(RlimitNames.Number(r.Type!)!.Value, r.Soft, r.Hard, r.Type!));
        var user = process.User ?? new User();
        return new IdentityPlan(rlimits, [.. user.AdditionalGids ?? []], user.Uid, user.Gid,
            process.Capabilities is { } caps ? Sets(caps, lastCap) : null, lastCap,
            user.Umask ?? 0x12 /* 0022 */, process.NoNewPrivileges);
    }

    private static CapabilitySets Sets(Spec.Capabilities caps, int lastCap)
    {
        var known = lastCap >= 63 ? ulong.MaxValue : (1UL << (lastCap + 1)) - 1;
        var permitted = CapabilityNames.Mask(caps.Permitted, "process.capabilities.permitted") & known;
        var inheritable = CapabilityNames.Mask(caps.Inheritable, "process.capabilities.inheritable") & known;
        return new CapabilitySets(
            CapabilityNames.Mask(caps.Bounding, "process.capabilities.bounding") & known,
            CapabilityNames.Mask(caps.Effective, "process.capabilities.effective") & known,
            permitted,
            inheritable,
            // The kernel only lets a capability be ambient if it is permitted and inheritable;
            // like runc, the others in the ambient list have no effect (runc's default spec relies on it).
            CapabilityNames.Mask(caps.Ambient, "process.capabilities.ambient") & permitted & inheritable);
    }
}
