using System.Text.Json;
using LibContainer.Cgroups.Stats;
using LibContainer.Events;

namespace OciRun.Output;

/// <summary>
/// One line of `events` as runc writes it: {"type":"stats","id":ID,"data":{...}}
/// or {"type":"oom","id":ID}, with runc's field names. runc's Go encoder leaves
/// out zero numbers and empty lists of the fields it marks omitempty, always
/// writes the others, and sorts map keys; so does this. A controller the host
/// does not have is left out as a whole (runc writes it full of zeros).
/// </summary>
public static class EventJson
{
    public static string Line(ContainerEvent e)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = LibContainer.Spec.MinimalJsonEncoder.Instance }))
        {
            json.WriteStartObject();
            json.WriteString("type", e.Type == ContainerEventType.Oom ? "oom" : "stats");
            json.WriteString("id", e.Id);
            if (e.Stats is { } stats)
            {
                json.WritePropertyName("data");
                WriteStats(json, stats);
            }
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteStats(Utf8JsonWriter json, CgroupStats s)
    {
        json.WriteStartObject();
        if (s.Cpu is { } cpu) WriteCpu(json, cpu);
        if (s.Cpuset is { } cpuset) WriteCpuset(json, cpuset);
        if (s.Memory is { } memory) WriteMemory(json, memory);
        if (s.Pids is { } pids)
        {
            json.WriteStartObject("pids");
            NonZero(json, "current", pids.Current);
            NonZero(json, "limit", pids.Limit);
            json.WriteEndObject();
        }
        if (s.Blkio is { } blkio) WriteBlkio(json, blkio);
        if (s.Hugetlb is { } hugetlb)
        {
            json.WriteStartObject("hugetlb");
            foreach (var size in SortedKeys(hugetlb))
            {
                var h = hugetlb[size];
                json.WriteStartObject(size);
                NonZero(json, "usage", h.Usage);
                NonZero(json, "max", h.Max);
                json.WriteNumber("failcnt", h.Failcnt);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static void WriteCpu(Utf8JsonWriter json, CpuStats cpu)
    {
        json.WriteStartObject("cpu");
        json.WriteStartObject("usage");
        NonZero(json, "total", cpu.Usage.Total);
        NonEmpty(json, "percpu", cpu.Usage.PerCpu);
        NonEmpty(json, "percpu_kernel", cpu.Usage.PerCpuKernel);
        NonEmpty(json, "percpu_user", cpu.Usage.PerCpuUser);
        json.WriteNumber("kernel", cpu.Usage.Kernel);
        json.WriteNumber("user", cpu.Usage.User);
        json.WriteEndObject();
        json.WriteStartObject("throttling");
        NonZero(json, "periods", cpu.Throttling.Periods);
        NonZero(json, "throttledPeriods", cpu.Throttling.ThrottledPeriods);
        NonZero(json, "throttledTime", cpu.Throttling.ThrottledTime);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteCpuset(Utf8JsonWriter json, CpusetStats c)
    {
        json.WriteStartObject("cpuset");
        NonEmpty(json, "cpus", c.Cpus);
        json.WriteNumber("cpu_exclusive", c.CpuExclusive);
        NonEmpty(json, "mems", c.Mems);
        json.WriteNumber("mem_hardwall", c.MemHardwall);
        json.WriteNumber("mem_exclusive", c.MemExclusive);
        json.WriteNumber("memory_migrate", c.MemoryMigrate);
        json.WriteNumber("memory_spread_page", c.MemorySpreadPage);
        json.WriteNumber("memory_spread_slab", c.MemorySpreadSlab);
        json.WriteNumber("memory_pressure", c.MemoryPressure);
        json.WriteNumber("sched_load_balance", c.SchedLoadBalance);
        json.WriteNumber("sched_relax_domain_level", c.SchedRelaxDomainLevel);
        json.WriteEndObject();
    }

    private static void WriteMemory(Utf8JsonWriter json, MemoryStats m)
    {
        json.WriteStartObject("memory");
        NonZero(json, "cache", m.Cache);
        WriteEntry(json, "usage", m.Usage);
        if (m.Swap is { } swap) WriteEntry(json, "swap", swap);
        if (m.Kernel is { } kernel) WriteEntry(json, "kernel", kernel);
        if (m.KernelTcp is { } kernelTcp) WriteEntry(json, "kernelTCP", kernelTcp);
        if (m.Raw.Count > 0)
        {
            json.WriteStartObject("raw");
            foreach (var key in SortedKeys(m.Raw)) json.WriteNumber(key, m.Raw[key]);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static void WriteEntry(Utf8JsonWriter json, string name, MemoryEntry e)
    {
        json.WriteStartObject(name);
        json.WriteNumber("limit", e.Limit);
        NonZero(json, "usage", e.Usage);
        NonZero(json, "max", e.Max);
        json.WriteNumber("failcnt", e.Failcnt);
        json.WriteEndObject();
    }

    private static void WriteBlkio(Utf8JsonWriter json, BlkioStats b)
    {
        json.WriteStartObject("blkio");
        WriteEntries(json, "ioServiceBytesRecursive", b.IoServiceBytesRecursive);
        WriteEntries(json, "ioServicedRecursive", b.IoServicedRecursive);
        WriteEntries(json, "ioQueueRecursive", b.IoQueuedRecursive); // sic: runc's name
        WriteEntries(json, "ioServiceTimeRecursive", b.IoServiceTimeRecursive);
        WriteEntries(json, "ioWaitTimeRecursive", b.IoWaitTimeRecursive);
        WriteEntries(json, "ioMergedRecursive", b.IoMergedRecursive);
        WriteEntries(json, "ioTimeRecursive", b.IoTimeRecursive);
        WriteEntries(json, "sectorsRecursive", b.SectorsRecursive);
        json.WriteEndObject();
    }

    private static void WriteEntries(Utf8JsonWriter json, string name, IReadOnlyList<BlkioEntry> entries)
    {
        if (entries.Count == 0) return;
        json.WriteStartArray(name);
        foreach (var e in entries)
        {
            json.WriteStartObject();
            NonZero(json, "major", e.Major);
            NonZero(json, "minor", e.Minor);
            if (e.Op.Length > 0) json.WriteString("op", e.Op);
            NonZero(json, "value", e.Value);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void NonZero(Utf8JsonWriter json, string name, ulong value)
    {
        if (value != 0) json.WriteNumber(name, value);
    }

    private static void NonEmpty(Utf8JsonWriter json, string name, IReadOnlyList<ulong> values)
    {
        if (values.Count == 0) return;
        json.WriteStartArray(name);
        foreach (var v in values) json.WriteNumberValue(v);
        json.WriteEndArray();
    }

    private static void NonEmpty(Utf8JsonWriter json, string name, IReadOnlyList<ushort> values)
    {
        if (values.Count == 0) return;
        json.WriteStartArray(name);
        foreach (var v in values) json.WriteNumberValue(v);
        json.WriteEndArray();
    }

    // Go's encoder writes map keys in byte order.
    private static List<string> SortedKeys<T>(IReadOnlyDictionary<string, T> map)
    {
        var keys = new List<string>(map.Keys);
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }
}
