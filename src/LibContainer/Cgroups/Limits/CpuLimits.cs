using System.Globalization;
using LibContainer.Spec;

namespace LibContainer.Cgroups.Limits;

/// <summary>
/// linux.resources.cpu with runc's meaning: shares, period, quota and the
/// realtime values of 0 are "not set"; a quota of -1 (or any negative) is "no
/// limit"; empty cpus or mems leave the cpuset as it is.
/// </summary>
internal static class CpuLimits
{
    private const string Field = "linux.resources.cpu";

    public static void Plan(CpuResources c, CgroupFacts host, List<CgroupWrite> writes)
    {
        if (c.Shares is not (null or 0) || c.Quota is not (null or 0) || c.Period is not (null or 0) || c.Burst is not null
            || c.RealtimeRuntime is not (null or 0) || c.RealtimePeriod is not (null or 0) || c.Idle is not null)
        {
            if (host.Require("cpu", Field) == CgroupVersion.V1) PlanV1(c, writes);
            else PlanV2(c, writes);
        }
        // cpuset.cpus and cpuset.mems have the same names and syntax on v1 and v2.
        if (!string.IsNullOrEmpty(c.Cpus))
        {
            host.Require("cpuset", $"{Field}.cpus");
            writes.Add(new("cpuset", "cpuset.cpus", c.Cpus, $"{Field}.cpus"));
        }
        if (!string.IsNullOrEmpty(c.Mems))
        {
            host.Require("cpuset", $"{Field}.mems");
            writes.Add(new("cpuset", "cpuset.mems", c.Mems, $"{Field}.mems"));
        }
    }

    private static void PlanV1(CpuResources c, List<CgroupWrite> writes)
    {
        if (c.Shares is { } shares and not 0) writes.Add(new("cpu", "cpu.shares", Text(shares), $"{Field}.shares") { ReadBack = true });
        var quota = c.Quota ?? 0;
        if (c.Period is { } period and not 0)
            writes.Add(new("cpu", "cpu.cfs_period_us", Text(period), $"{Field}.period") { RetryAfterNext = quota != 0 });
        if (quota != 0) writes.Add(new("cpu", "cpu.cfs_quota_us", Text(quota), $"{Field}.quota"));
        if (c.Burst is { } burst) writes.Add(new("cpu", "cpu.cfs_burst_us", Text(burst), $"{Field}.burst"));
        if (c.RealtimePeriod is { } rtPeriod and not 0) writes.Add(new("cpu", "cpu.rt_period_us", Text(rtPeriod), $"{Field}.realtimePeriod"));
        if (c.RealtimeRuntime is { } rtRuntime and not 0) writes.Add(new("cpu", "cpu.rt_runtime_us", Text(rtRuntime), $"{Field}.realtimeRuntime"));
        if (c.Idle is { } idle) writes.Add(new("cpu", "cpu.idle", Text(idle), $"{Field}.idle"));
    }

    private static void PlanV2(CpuResources c, List<CgroupWrite> writes)
    {
        if (c.RealtimePeriod is not (null or 0) || c.RealtimeRuntime is not (null or 0))
            throw new ContainerError($"{Field}.realtimeRuntime/realtimePeriod: cgroup v2 has no realtime CPU limits; remove them");
        if (c.Idle is { } idle) writes.Add(new("cpu", "cpu.idle", Text(idle), $"{Field}.idle"));
        if (c.Shares is { } shares and not 0) writes.Add(new("cpu", "cpu.weight", Text(WeightOfShares(shares)), $"{Field}.shares"));
        long quota = c.Quota ?? 0;
        ulong period = c.Period ?? 0;
        if (quota != 0 || period != 0)
        {
            // "QUOTA PERIOD"; a period alone keeps "max" as the quota, as runc writes it.
            var max = quota > 0 ? Text(quota) : "max";
            if (period != 0) max += " " + Text(period);
            writes.Add(new("cpu", "cpu.max", max, quota != 0 ? $"{Field}.quota" : $"{Field}.period"));
        }
        if (c.Burst is { } burst) writes.Add(new("cpu", "cpu.max.burst", Text(burst), $"{Field}.burst"));
    }

    /// <summary>
    /// cpu.weight (1 to 10000) for v1's cpu.shares (2 to 262144), runc 1.1's
    /// linear map: the default 1024 shares is weight 39, not v2's default 100.
    /// </summary>
    internal static ulong WeightOfShares(ulong shares) => shares switch
    {
        < 2 => throw new ContainerError($"{Field}.shares: the minimum allowed cpu-shares is 2"),
        > 262144 => throw new ContainerError($"{Field}.shares: the maximum allowed cpu-shares is 262144"),
        _ => 1 + (shares - 2) * 9999 / 262142,
    };

    private static string Text(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Text(ulong v) => v.ToString(CultureInfo.InvariantCulture);
}
