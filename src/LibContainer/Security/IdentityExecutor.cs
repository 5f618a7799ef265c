using LibContainer.Syscalls;

namespace LibContainer.Security;

/// <summary>
/// Carries out an IdentityPlan on the thread that will execve, in two steps
/// init separates: the rlimits (before the cwd is entered), then the rest.
/// </summary>
public static class IdentityExecutor
{
    public static void SetRlimits(IdentityPlan plan, ISyscalls sys)
    {
        foreach (var r in plan.Rlimits) sys.SetRlimit(r.Resource, r.Soft, r.Hard, r.Name);
    }

    public static void Become(IdentityPlan plan, ISyscalls sys)
    {
        if (plan.Capabilities is { } caps)
            for (var cap = 0; cap <= plan.LastCap; cap++)
                if ((caps.Bounding & (1UL << cap)) == 0) sys.DropBoundingCapability(cap);

        // Keep the permitted set across the uid change; capset then sets exactly what the config asks.
        sys.SetKeepCapabilities(true);
        sys.SetGroups(plan.Groups);
        sys.SetGid(plan.Gid);
        sys.SetUid(plan.Uid);
        sys.SetKeepCapabilities(false);

        if (plan.Capabilities is { } sets)
        {
            sys.SetCapabilities(sets.Effective, sets.Permitted, sets.Inheritable);
            sys.ClearAmbientCapabilities();
            for (var cap = 0; cap <= plan.LastCap; cap++)
                if ((sets.Ambient & (1UL << cap)) != 0) sys.RaiseAmbientCapability(cap);
        }

        sys.SetUmask(plan.Umask);
        if (plan.NoNewPrivileges) sys.SetNoNewPrivileges();
    }
}
