using System.Globalization;
using LibContainer.Spec;

namespace LibContainer.Cgroups.Limits;

/// <summary>
/// linux.resources.blockIO with runc's meaning: a weight of 0 is "not set"
/// (Docker always sends it); a throttle rate of 0 removes that device's limit.
/// Weights need the BFQ I/O scheduler on today's kernels.
/// </summary>
internal static class BlockIoLimits
{
    private const string Field = "linux.resources.blockIO";

    public static void Plan(BlockIoResources b, CgroupFacts host, List<CgroupWrite> writes)
    {
        var weights = b.Weight is not (null or 0) || b.LeafWeight is not (null or 0) || b.WeightDevice is { Count: > 0 };
        var throttles = b.ThrottleReadBpsDevice is { Count: > 0 } || b.ThrottleWriteBpsDevice is { Count: > 0 }
            || b.ThrottleReadIOPSDevice is { Count: > 0 } || b.ThrottleWriteIOPSDevice is { Count: > 0 };
        if (!weights && !throttles) return;
        if (host.VersionOf("blkio") is CgroupVersion.V1) PlanV1(b, host, writes);
        else if (host.VersionOf("io") is CgroupVersion.V2) PlanV2(b, host, writes);
        else host.Require("blkio", Field);
    }

    private static void PlanV1(BlockIoResources b, CgroupFacts host, List<CgroupWrite> writes)
    {
        // CFQ's blkio.weight went with CFQ (Linux 5.0); BFQ's has its own name.
        var weightFile = host.Has("blkio", "blkio.weight") ? "blkio.weight" : "blkio.bfq.weight";
        if (b.Weight is { } w and not 0)
        {
            RequireFile(host, "blkio", weightFile, $"{Field}.weight");
            writes.Add(new("blkio", weightFile, Text(w), $"{Field}.weight"));
        }
        if (b.LeafWeight is { } lw and not 0)
        {
            RequireFile(host, "blkio", "blkio.leaf_weight", $"{Field}.leafWeight");
            writes.Add(new("blkio", "blkio.leaf_weight", Text(lw), $"{Field}.leafWeight"));
        }
        var devices = b.WeightDevice ?? [];
        for (var i = 0; i < devices.Count; i++)
        {
            var d = devices[i];
            var field = $"{Field}.weightDevice[{i}]";
            if (d.Weight is { } dw and not 0)
            {
                RequireFile(host, "blkio", weightFile + "_device", field + ".weight");
                writes.Add(new("blkio", weightFile + "_device", $"{d.Major}:{d.Minor} {dw}", field + ".weight"));
            }
            if (d.LeafWeight is { } dlw and not 0)
            {
                RequireFile(host, "blkio", "blkio.leaf_weight_device", field + ".leafWeight");
                writes.Add(new("blkio", "blkio.leaf_weight_device", $"{d.Major}:{d.Minor} {dlw}", field + ".leafWeight"));
            }
        }
        Throttles(b.ThrottleReadBpsDevice, "throttleReadBpsDevice", "blkio.throttle.read_bps_device", writes);
        Throttles(b.ThrottleWriteBpsDevice, "throttleWriteBpsDevice", "blkio.throttle.write_bps_device", writes);
        Throttles(b.ThrottleReadIOPSDevice, "throttleReadIOPSDevice", "blkio.throttle.read_iops_device", writes);
        Throttles(b.ThrottleWriteIOPSDevice, "throttleWriteIOPSDevice", "blkio.throttle.write_iops_device", writes);
    }

    private static void Throttles(List<ThrottleDevice>? devices, string name, string file, List<CgroupWrite> writes)
    {
        for (var i = 0; i < (devices?.Count ?? 0); i++)
        {
            var d = devices![i];
            writes.Add(new("blkio", file, $"{d.Major}:{d.Minor} {d.Rate}", $"{Field}.{name}[{i}]"));
        }
    }

    private static void PlanV2(BlockIoResources b, CgroupFacts host, List<CgroupWrite> writes)
    {
        var bfq = host.Has("io", "io.bfq.weight");
        if (b.Weight is { } w and not 0)
        {
            // BFQ takes v1's 10-1000 scale as it is; io.weight (1-10000) gets runc's conversion.
            if (bfq) writes.Add(new("io", "io.bfq.weight", Text(w), $"{Field}.weight"));
            else writes.Add(new("io", "io.weight", Text(IoWeightOf(w)), $"{Field}.weight"));
        }
        if (b.LeafWeight is not (null or 0)) throw new ContainerError($"{Field}.leafWeight: cgroup v2 has no leaf weight; remove the field");
        var devices = b.WeightDevice ?? [];
        for (var i = 0; i < devices.Count; i++)
        {
            var d = devices[i];
            var field = $"{Field}.weightDevice[{i}]";
            if (d.LeafWeight is not (null or 0)) throw new ContainerError($"{field}.leafWeight: cgroup v2 has no leaf weight; remove the field");
            if (d.Weight is not { } dw || dw == 0) continue;
            if (!bfq) throw new ContainerError($"{field}.weight: per-device weights need the BFQ I/O scheduler (io.bfq.weight is missing)");
            writes.Add(new("io", "io.bfq.weight", $"{d.Major}:{d.Minor} {dw}", field + ".weight"));
        }
        IoMax(b.ThrottleReadBpsDevice, "throttleReadBpsDevice", "rbps", writes);
        IoMax(b.ThrottleWriteBpsDevice, "throttleWriteBpsDevice", "wbps", writes);
        IoMax(b.ThrottleReadIOPSDevice, "throttleReadIOPSDevice", "riops", writes);
        IoMax(b.ThrottleWriteIOPSDevice, "throttleWriteIOPSDevice", "wiops", writes);
    }

    // io.max takes "MAJ:MIN KEY=RATE"; "max" lifts the limit, as a rate of 0 does on v1.
    private static void IoMax(List<ThrottleDevice>? devices, string name, string key, List<CgroupWrite> writes)
    {
        for (var i = 0; i < (devices?.Count ?? 0); i++)
        {
            var d = devices![i];
            var rate = d.Rate == 0 ? "max" : Text(d.Rate);
            writes.Add(new("io", "io.max", $"{d.Major}:{d.Minor} {key}={rate}", $"{Field}.{name}[{i}]"));
        }
    }

    /// <summary>io.weight (1 to 10000) for a blkio weight (10 to 1000), runc's linear map.</summary>
    internal static ulong IoWeightOf(ushort weight) => weight switch
    {
        < 10 or > 1000 => throw new ContainerError($"{Field}.weight: {weight} is out of range (10 to 1000)"),
        _ => 1 + (ulong)(weight - 10) * 9999 / 990,
    };

    private static void RequireFile(CgroupFacts host, string controller, string file, string field)
    {
        if (!host.Has(controller, file))
            throw new ContainerError($"{field}: this kernel has no {file} (block I/O weights need the BFQ I/O scheduler)");
    }

    private static string Text(ulong v) => v.ToString(CultureInfo.InvariantCulture);
}
