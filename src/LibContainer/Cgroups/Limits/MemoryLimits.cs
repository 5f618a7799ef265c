using System.Globalization;
using LibContainer.Spec;

namespace LibContainer.Cgroups.Limits;

/// <summary>
/// linux.resources.memory with runc's meaning: a limit, reservation or swap of
/// 0 is "not set", -1 is "no limit"; disableOOMKiller false asks for nothing;
/// swappiness 0 is real.
/// </summary>
internal static class MemoryLimits
{
    private const string Field = "linux.resources.memory";

    public static void Plan(MemoryResources m, CgroupFacts host, List<CgroupWrite> writes)
    {
        var asks = m.Limit is not (null or 0) || m.Reservation is not (null or 0) || m.Swap is not (null or 0)
            || m.Kernel is not (null or 0) || m.KernelTcp is not (null or 0) || m.DisableOomKiller == true
            || m.UseHierarchy == false || Swappiness(m) is not null;
        if (!asks) return; // checkBeforeUpdate alone asks for nothing
        if (host.Require("memory", Field) == CgroupVersion.V1) PlanV1(m, host, writes);
        else PlanV2(m, host, writes);
    }

    private static void PlanV1(MemoryResources m, CgroupFacts host, List<CgroupWrite> writes)
    {
        const string swapFile = "memory.memsw.limit_in_bytes";
        long limit = m.Limit ?? 0, swap = m.Swap ?? 0;
        var hasSwap = host.Has("memory", swapFile);
        // "No memory limit" lifts the swap limit too, where the kernel accounts swap.
        if (limit == -1 && swap == 0 && hasSwap) swap = -1;
        if (swap != 0 && !hasSwap)
            throw new ContainerError($"{Field}.swap: this kernel does not account swap ({swapFile} is missing; boot it with swapaccount=1)");
        var limitWrite = new CgroupWrite("memory", "memory.limit_in_bytes", Text(limit), $"{Field}.limit");
        var swapWrite = new CgroupWrite("memory", swapFile, Text(swap), $"{Field}.swap");
        // memory+swap may never be below memory: raising both, swap goes first; lowering, memory does.
        var swapFirst = limit != 0 && swap != 0 && (swap == -1 || CurrentLimit(host) < (ulong)swap);
        if (swapFirst) writes.Add(swapWrite);
        if (limit != 0) writes.Add(limitWrite);
        if (swap != 0 && !swapFirst) writes.Add(swapWrite);

        if (m.Reservation is { } r and not 0) writes.Add(new("memory", "memory.soft_limit_in_bytes", Text(r), $"{Field}.reservation"));
        KernelV1(m.Kernel, "memory.kmem.limit_in_bytes", "kernel", host, writes);
        KernelV1(m.KernelTcp, "memory.kmem.tcp.limit_in_bytes", "kernelTCP", host, writes);
        if (m.DisableOomKiller == true) writes.Add(new("memory", "memory.oom_control", "1", $"{Field}.disableOOMKiller"));
        if (m.UseHierarchy == false) writes.Add(new("memory", "memory.use_hierarchy", "0", $"{Field}.useHierarchy"));
        if (Swappiness(m) is { } s) writes.Add(new("memory", "memory.swappiness", Text(s), $"{Field}.swappiness"));
    }

    private static ulong CurrentLimit(CgroupFacts host) =>
        ulong.TryParse(host.Read("memory", "memory.limit_in_bytes")?.Trim(), out var v) ? v : ulong.MaxValue;

    // Kernel memory limits are gone from Linux 6.x (kmem) and deprecated (kmem.tcp): written only where the file is.
    private static void KernelV1(long? value, string file, string name, CgroupFacts host, List<CgroupWrite> writes)
    {
        if (value is not { } v || v == 0) return;
        if (!host.Has("memory", file))
            throw new ContainerError($"{Field}.{name}: this kernel has no kernel memory limit ({file} is missing); remove the field");
        writes.Add(new("memory", file, Text(v), $"{Field}.{name}"));
    }

    private static void PlanV2(MemoryResources m, CgroupFacts host, List<CgroupWrite> writes)
    {
        long limit = m.Limit ?? 0, swap = m.Swap ?? 0;
        if (m.CheckBeforeUpdate == true && limit > 0 && ulong.TryParse(host.Read("memory", "memory.current")?.Trim(), out var usage) && usage > (ulong)limit)
            throw new ContainerError($"{Field}.limit: {limit} is below the container's current memory usage ({usage}), and checkBeforeUpdate is set");
        // v2's swap limit is swap alone; the config's (as v1's) is memory+swap.
        if (SwapV2(swap, limit) is { } swapMax)
        {
            if (!host.Has("memory", "memory.swap.max"))
                throw new ContainerError($"{Field}.swap: this kernel does not account swap (memory.swap.max is missing)");
            writes.Add(new("memory", "memory.swap.max", swapMax, $"{Field}.swap"));
        }
        if (limit != 0) writes.Add(new("memory", "memory.max", Max(limit), $"{Field}.limit"));
        if (m.Reservation is { } r and not 0) writes.Add(new("memory", "memory.low", Max(r), $"{Field}.reservation"));
        if (m.Kernel is { } k and not 0) throw new ContainerError($"{Field}.kernel: cgroup v2 has no kernel memory limit; remove the field");
        if (m.KernelTcp is { } t and not 0) throw new ContainerError($"{Field}.kernelTCP: cgroup v2 has no kernel TCP memory limit; remove the field");
        if (m.DisableOomKiller == true) throw new ContainerError($"{Field}.disableOOMKiller: cgroup v2 cannot turn the OOM killer off");
        if (m.UseHierarchy == false) throw new ContainerError($"{Field}.useHierarchy: cgroup v2 is always hierarchical");
        if (Swappiness(m) is not null) throw new ContainerError($"{Field}.swappiness: cgroup v2 has no per-cgroup swappiness");
    }

    /// <summary>memory.swap.max for a config's memory+swap value, as runc converts it; null writes nothing.</summary>
    internal static string? SwapV2(long swap, long limit)
    {
        if (limit == -1 && swap == 0) return "max"; // no memory limit: no swap limit either
        if (swap == 0) return null;
        if (swap == -1) return "max";
        if (limit is 0 or -1) throw new ContainerError($"{Field}.swap: a swap limit needs a memory limit on cgroup v2");
        if (limit < 0) throw new ContainerError($"{Field}.limit: {limit} is not a memory limit");
        if (swap < limit) throw new ContainerError($"{Field}.swap: memory+swap ({swap}) must not be below the memory limit ({limit})");
        return Text(swap - limit);
    }

    // Swappiness is unsigned in the spec: -1 ("the default") arrives as 2^64-1.
    private static ulong? Swappiness(MemoryResources m) => m.Swappiness switch
    {
        null or ulong.MaxValue => null,
        <= 100 and var s => s,
        var s => throw new ContainerError($"{Field}.swappiness: {s} is out of range (0 to 100)"),
    };

    private static string Max(long v) => v == -1 ? "max" : Text(v);

    private static string Text(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Text(ulong v) => v.ToString(CultureInfo.InvariantCulture);
}
