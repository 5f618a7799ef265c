using System.Globalization;
using LibContainer.Spec;

namespace LibContainer.Cgroups.Limits;

/// <summary>linux.resources.network: the v1 net_cls class ID and net_prio priorities; cgroup v2 has neither.</summary>
internal static class NetworkLimits
{
    private const string Field = "linux.resources.network";

    public static void Plan(NetworkResources n, CgroupFacts host, List<CgroupWrite> writes)
    {
        if (n.ClassId is { } classId and not 0)
        {
            Require(host, "net_cls", $"{Field}.classID");
            writes.Add(new("net_cls", "net_cls.classid", classId.ToString(CultureInfo.InvariantCulture), $"{Field}.classID"));
        }
        var priorities = n.Priorities ?? [];
        for (var i = 0; i < priorities.Count; i++)
        {
            var field = $"{Field}.priorities[{i}]";
            Require(host, "net_prio", field);
            var name = priorities[i].Name ?? "";
            if (name.Length == 0 || name.Contains(' ') || name.Contains('\n'))
                throw new ContainerError($"{field}.name: \"{name}\" is not a network interface name");
            writes.Add(new("net_prio", "net_prio.ifpriomap", $"{name} {priorities[i].Priority}", field));
        }
    }

    private static void Require(CgroupFacts host, string controller, string field)
    {
        if (host.VersionOf(controller) != CgroupVersion.V1)
            throw new ContainerError($"{field}: this host has no {controller} cgroup v1 controller (cgroup v2 has none)");
    }
}
