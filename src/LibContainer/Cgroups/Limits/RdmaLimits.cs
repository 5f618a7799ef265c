using LibContainer.Spec;

namespace LibContainer.Cgroups.Limits;

/// <summary>linux.resources.rdma: per-device handle and object limits, the same line on v1 and v2.</summary>
internal static class RdmaLimits
{
    public static void Plan(Dictionary<string, RdmaLimit> limits, CgroupFacts host, List<CgroupWrite> writes)
    {
        foreach (var (device, limit) in limits)
        {
            var field = $"linux.resources.rdma[\"{device}\"]";
            host.Require("rdma", field);
            if (device.Length == 0 || device.Contains(' ') || device.Contains('\n'))
                throw new ContainerError($"{field}: \"{device}\" is not an RDMA device name");
            var line = device;
            if (limit.HcaHandles is { } handles) line += $" hca_handle={handles}";
            if (limit.HcaObjects is { } objects) line += $" hca_object={objects}";
            if (line != device) writes.Add(new("rdma", "rdma.max", line, field));
        }
    }
}
