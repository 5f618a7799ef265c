using LibContainer.Spec;

namespace LibContainer.Cgroups.Limits;

/// <summary>
/// Decides the cgroup writes for linux.resources (all but devices, which are
/// rules, not values): which file, what value, in what order, for the cgroup
/// version that holds each controller. Pure but for reading the host's facts.
/// </summary>
public static class LimitPlan
{
    public static IReadOnlyList<CgroupWrite> For(Resources r, CgroupFacts host)
    {
        var writes = new List<CgroupWrite>();
        if (r.Pids is { } pids) PidsLimits.Plan(pids, host, writes);
        if (r.Memory is { } memory) MemoryLimits.Plan(memory, host, writes);
        if (r.Cpu is { } cpu) CpuLimits.Plan(cpu, host, writes);
        if (r.BlockIO is { } blockIO) BlockIoLimits.Plan(blockIO, host, writes);
        if (r.HugepageLimits is { } hugepages) HugepageLimits.Plan(hugepages, host, writes);
        if (r.Network is { } network) NetworkLimits.Plan(network, host, writes);
        if (r.Rdma is { } rdma) RdmaLimits.Plan(rdma, host, writes);
        if (r.Unified is { } unified) UnifiedLimits.Plan(unified, host, writes);
        return writes;
    }
}
