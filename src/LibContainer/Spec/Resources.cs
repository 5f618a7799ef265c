namespace LibContainer.Spec;

public sealed record Resources
{
    public List<DeviceRule>? Devices { get; init; }
    public MemoryResources? Memory { get; init; }
    public CpuResources? Cpu { get; init; }
    public PidsResources? Pids { get; init; }
    public BlockIoResources? BlockIO { get; init; }
    public List<HugepageLimit>? HugepageLimits { get; init; }
    public NetworkResources? Network { get; init; }
    public Dictionary<string, RdmaLimit>? Rdma { get; init; }
    public Dictionary<string, string>? Unified { get; init; }
}

public sealed record DeviceRule
{
    public bool Allow { get; init; }
    public string? Type { get; init; }
    public long? Major { get; init; }
    public long? Minor { get; init; }
    public string? Access { get; init; }
}

public sealed record MemoryResources
{
    public long? Limit { get; init; }
    public long? Reservation { get; init; }
    public long? Swap { get; init; }
    public long? Kernel { get; init; }
    public long? KernelTcp { get; init; }
    public ulong? Swappiness { get; init; }
    public bool? DisableOomKiller { get; init; }
    public bool? UseHierarchy { get; init; }
    public bool? CheckBeforeUpdate { get; init; }
}

public sealed record CpuResources
{
    public ulong? Shares { get; init; }
    public long? Quota { get; init; }
    public ulong? Burst { get; init; }
    public ulong? Period { get; init; }
    public long? RealtimeRuntime { get; init; }
    public ulong? RealtimePeriod { get; init; }
    public string? Cpus { get; init; }
    public string? Mems { get; init; }
    public long? Idle { get; init; }
}

public sealed record PidsResources
{
    public long? Limit { get; init; }
}

public sealed record BlockIoResources
{
    public ushort? Weight { get; init; }
    public ushort? LeafWeight { get; init; }
    public List<WeightDevice>? WeightDevice { get; init; }
    public List<ThrottleDevice>? ThrottleReadBpsDevice { get; init; }
    public List<ThrottleDevice>? ThrottleWriteBpsDevice { get; init; }
    public List<ThrottleDevice>? ThrottleReadIOPSDevice { get; init; }
    public List<ThrottleDevice>? ThrottleWriteIOPSDevice { get; init; }
}

public sealed record WeightDevice
{
    public long Major { get; init; }
    public long Minor { get; init; }
    public ushort? Weight { get; init; }
    public ushort? LeafWeight { get; init; }
}

public sealed record ThrottleDevice
{
    public long Major { get; init; }
    public long Minor { get; init; }
    public ulong Rate { get; init; }
}

public sealed record HugepageLimit
{
    public string? PageSize { get; init; }
    public ulong Limit { get; init; }
}

public sealed record NetworkResources
{
    public uint? ClassId { get; init; }
    public List<InterfacePriority>? Priorities { get; init; }
}

public sealed record InterfacePriority
{
    public string? Name { get; init; }
    public uint Priority { get; init; }
}

public sealed record RdmaLimit
{
    public uint? HcaHandles { get; init; }
    public uint? HcaObjects { get; init; }
}
