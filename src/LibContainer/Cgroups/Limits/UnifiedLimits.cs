using LibContainer.Spec;

namespace LibContainer.Cgroups.Limits;

/// <summary>
/// linux.resources.unified: cgroup v2 files written as given, after every
/// other limit (so they can override one). Each needs its controller in the
/// container's v2 tree; on a hybrid host that is the unified hierarchy's.
/// </summary>
internal static class UnifiedLimits
{
    public static void Plan(Dictionary<string, string> values, CgroupFacts host, List<CgroupWrite> writes)
    {
        foreach (var (key, value) in values)
        {
            var field = $"linux.resources.unified[\"{key}\"]";
            var dot = key.IndexOf('.');
            if (dot <= 0 || key.Contains('/') || key.Contains(".."))
                throw new ContainerError($"{field}: \"{key}\" is not a cgroup v2 file name such as memory.high");
            var controller = key[..dot];
            if (host.VersionOf(controller) != CgroupVersion.V2)
                throw new ContainerError($"{field}: this host has no {controller} controller in a cgroup v2 tree for the container");
            if (!host.Has(controller, key))
                throw new ContainerError($"{field}: the container's cgroup has no file {key}");
            writes.Add(new(controller, key, value, field));
        }
    }
}
