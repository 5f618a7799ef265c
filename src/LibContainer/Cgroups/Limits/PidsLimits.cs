using System.Globalization;
using LibContainer.Spec;

namespace LibContainer.Cgroups.Limits;

/// <summary>linux.resources.pids: a limit of 0 is "not set" (podman sends it), a negative one is "no limit".</summary>
internal static class PidsLimits
{
    public static void Plan(PidsResources p, CgroupFacts host, List<CgroupWrite> writes)
    {
        if (p.Limit is not { } limit || limit == 0) return;
        const string field = "linux.resources.pids.limit";
        host.Require("pids", field);
        writes.Add(new("pids", "pids.max", limit > 0 ? limit.ToString(CultureInfo.InvariantCulture) : "max", field));
    }
}
