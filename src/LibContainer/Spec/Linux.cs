namespace LibContainer.Spec;

public sealed record Linux
{
    public List<IdMapping>? UidMappings { get; init; }
    public List<IdMapping>? GidMappings { get; init; }
    public Dictionary<string, string>? Sysctl { get; init; }
    public Resources? Resources { get; init; }
    public string? CgroupsPath { get; init; }
    public List<Namespace>? Namespaces { get; init; }
    public List<Device>? Devices { get; init; }
    public Seccomp? Seccomp { get; init; }
    public string? RootfsPropagation { get; init; }
    public List<string>? MaskedPaths { get; init; }
    public List<string>? ReadonlyPaths { get; init; }
    public string? MountLabel { get; init; }
    public IntelRdt? IntelRdt { get; init; }
    public Personality? Personality { get; init; }
    public Dictionary<string, TimeOffset>? TimeOffsets { get; init; }
    public MemoryPolicy? MemoryPolicy { get; init; }
    public Dictionary<string, NetDevice>? NetDevices { get; init; }
}

public sealed record Namespace
{
    public string? Type { get; init; }
    public string? Path { get; init; }
}

public sealed record Device
{
    public string? Type { get; init; }
    public string? Path { get; init; }
    public long Major { get; init; }
    public long Minor { get; init; }
    public uint? FileMode { get; init; }
    public uint? Uid { get; init; }
    public uint? Gid { get; init; }
}

public sealed record IntelRdt
{
    public string? ClosId { get; init; }
    public string? L3CacheSchema { get; init; }
    public string? MemBwSchema { get; init; }
    public List<string>? Schemata { get; init; }
    public bool? EnableMonitoring { get; init; }
}

public sealed record Personality
{
    public string? Domain { get; init; }
    public List<string>? Flags { get; init; }
}

public sealed record TimeOffset
{
    public long Secs { get; init; }
    public uint Nanosecs { get; init; }
}

public sealed record MemoryPolicy
{
    public string? Mode { get; init; }
    public string? Nodes { get; init; }
    public List<string>? Flags { get; init; }
}

public sealed record NetDevice
{
    public string? Name { get; init; }
}

public sealed record Seccomp
{
    public string? DefaultAction { get; init; }
    public uint? DefaultErrnoRet { get; init; }
    public List<string>? Architectures { get; init; }
    public List<string>? Flags { get; init; }
    public string? ListenerPath { get; init; }
    public string? ListenerMetadata { get; init; }
    public List<SeccompSyscall>? Syscalls { get; init; }
}

public sealed record SeccompSyscall
{
    public List<string>? Names { get; init; }
    public string? Action { get; init; }
    public uint? ErrnoRet { get; init; }
    public List<SeccompArg>? Args { get; init; }
}

public sealed record SeccompArg
{
    public uint Index { get; init; }
    public ulong Value { get; init; }
    public ulong ValueTwo { get; init; }
    public string? Op { get; init; }
}
