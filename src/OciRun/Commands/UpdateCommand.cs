using System.Globalization;
using LibContainer;
using LibContainer.Spec;
using OciRun.CommandLine;

namespace OciRun.Commands;

/// <summary>
/// `update`: new resource limits for a live container, from runc's flags or a
/// linux.resources JSON (`-r FILE`, `-r -` for standard input, as containerd's
/// shim and podman send it). A value left out, or 0, leaves that limit as it is.
/// </summary>
public static class UpdateCommand
{
    public static readonly StringFlag ResourcesFile = new("resources", "path to a file with the resources to update (linux.resources JSON), or '-' for standard input", Short: 'r', ValueName: "FILE");
    public static readonly StringFlag BlkioWeight = new("blkio-weight", "per cgroup block I/O weight, from 10 to 1000", ValueName: "N");
    public static readonly StringFlag CpuPeriod = new("cpu-period", "CPU CFS period (in usecs) for the hard cap", ValueName: "N");
    public static readonly StringFlag CpuQuota = new("cpu-quota", "CPU CFS hard cap (in usecs) per period; -1 for none", ValueName: "N");
    public static readonly StringFlag CpuShare = new("cpu-share", "CPU shares (relative weight against other containers)", ValueName: "N");
    public static readonly StringFlag CpuShares = new("cpu-shares", "the same as --cpu-share", ValueName: "N");
    public static readonly StringFlag CpuRtPeriod = new("cpu-rt-period", "CPU realtime period (in usecs)", ValueName: "N");
    public static readonly StringFlag CpuRtRuntime = new("cpu-rt-runtime", "CPU realtime runtime (in usecs) per period", ValueName: "N");
    public static readonly StringFlag CpusetCpus = new("cpuset-cpus", "CPUs to use (0-3, 0,1)", ValueName: "LIST");
    public static readonly StringFlag CpusetMems = new("cpuset-mems", "memory nodes to use (0-3, 0,1)", ValueName: "LIST");
    public static readonly StringFlag Memory = new("memory", "memory limit (in bytes, or with a unit: 64m); -1 for none", ValueName: "SIZE");
    public static readonly StringFlag MemoryReservation = new("memory-reservation", "memory reservation or soft limit", ValueName: "SIZE");
    public static readonly StringFlag MemorySwap = new("memory-swap", "memory plus swap limit; -1 for unlimited swap", ValueName: "SIZE");
    public static readonly StringFlag KernelMemory = new("kernel-memory", "kernel memory limit (obsolete; refused where the kernel has none)", ValueName: "SIZE");
    public static readonly StringFlag KernelMemoryTcp = new("kernel-memory-tcp", "kernel TCP memory limit (obsolete; refused where the kernel has none)", ValueName: "SIZE");
    public static readonly StringFlag PidsLimit = new("pids-limit", "maximum number of processes in the container; -1 for none", ValueName: "N");
    public static readonly StringFlag L3CacheSchema = new("l3-cache-schema", "Intel RDT/CAT L3 cache schema (not supported)", ValueName: "SCHEMA");
    public static readonly StringFlag MemBwSchema = new("mem-bw-schema", "Intel RDT/MBA memory bandwidth schema (not supported)", ValueName: "SCHEMA");

    private static readonly StringFlag[] ValueFlags =
    [
        BlkioWeight, CpuPeriod, CpuQuota, CpuShare, CpuShares, CpuRtPeriod, CpuRtRuntime, CpusetCpus, CpusetMems,
        Memory, MemoryReservation, MemorySwap, KernelMemory, KernelMemoryTcp, PidsLimit,
    ];

    // After the flags it lists: static fields are set in the order they are written.
    public static readonly Verb Verb = new("update", "update container resource constraints", "<container-id>",
        [ResourcesFile, .. ValueFlags, L3CacheSchema, MemBwSchema], 1, 1, call =>
        {
            if (call.Get(L3CacheSchema) is not null || call.Get(MemBwSchema) is not null)
                throw new ContainerError($"--{L3CacheSchema.Name}, --{MemBwSchema.Name}: Intel RDT is not supported by oci-run");
            call.Containers.Update(call.Id, Read(call));
            return 0;
        });

    private static Resources Read(Invocation call)
    {
        if (call.Get(ResourcesFile) is { Length: > 0 } file)
        {
            // runc ignores the other flags then; naming the clash loses nothing.
            foreach (var flag in ValueFlags)
                if (call.Get(flag) is not null) throw new ContainerError($"--{ResourcesFile.Name} and --{flag.Name}: give the limits in one or the other");
            return file == "-"
                ? SpecLoader.ParseResources(ReadStandardInput(), "standard input")
                : SpecLoader.ParseResources(ReadFile(file), file);
        }
        var quota = Signed(call, CpuQuota);
        var period = Unsigned(call, CpuPeriod);
        return new Resources
        {
            Memory = new MemoryResources
            {
                Limit = Size(call, Memory), Reservation = Size(call, MemoryReservation), Swap = Size(call, MemorySwap),
                Kernel = Size(call, KernelMemory), KernelTcp = Size(call, KernelMemoryTcp),
            },
            Cpu = new CpuResources
            {
                Shares = Unsigned(call, CpuShare) ?? Unsigned(call, CpuShares), Quota = quota, Period = period,
                RealtimePeriod = Unsigned(call, CpuRtPeriod), RealtimeRuntime = Signed(call, CpuRtRuntime),
                Cpus = call.Get(CpusetCpus), Mems = call.Get(CpusetMems),
            },
            BlockIO = new BlockIoResources { Weight = Weight(call) },
            Pids = new PidsResources { Limit = Signed(call, PidsLimit) },
        };
    }

    private static long? Size(Invocation call, StringFlag flag) =>
        call.Get(flag) is not { } text ? null : text.Trim() == "-1" ? -1 : ByteSize.Parse(text, flag.Name);

    private static ulong? Unsigned(Invocation call, StringFlag flag) =>
        call.Get(flag) is not { } text ? null
        : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
        : throw new ContainerError($"invalid value for {flag.Name}: \"{text}\" is not a non-negative integer");

    private static long? Signed(Invocation call, StringFlag flag) =>
        call.Get(flag) is not { } text ? null
        : long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v
        : throw new ContainerError($"invalid value for {flag.Name}: \"{text}\" is not an integer");

    private static ushort? Weight(Invocation call) =>
        Unsigned(call, BlkioWeight) is not { } w ? null
        : w <= ushort.MaxValue ? (ushort)w
        : throw new ContainerError($"invalid value for {BlkioWeight.Name}: {w} is out of range (10 to 1000)");

    private static byte[] ReadStandardInput()
    {
        using var stdin = Console.OpenStandardInput();
        using var buffer = new MemoryStream();
        stdin.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static byte[] ReadFile(string file)
    {
        try
        {
            return File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ContainerError.FromIo($"--resources {file}", e);
        }
    }
}
