using LibContainer.Spec;

namespace LibContainer.Processes;

/// <summary>Everything init needs besides its namespaces, sent by the parent as the config frame.</summary>
public sealed record InitConfig
{
    public required RuntimeSpec Spec { get; init; }
    /// <summary>Absolute host path of the root filesystem.</summary>
    public required string Rootfs { get; init; }
    public bool NoPivot { get; init; }
    /// <summary>Extra fds (3 .. 3+N-1) the container process keeps.</summary>
    public int PreserveFds { get; init; }
    /// <summary>Init's O_PATH fd of exec.fifo.</summary>
    public int FifoFd { get; init; }
    /// <summary>The container's cgroup directories to show at a "cgroup" mount, by directory name.</summary>
    public List<CgroupMountSource> CgroupMounts { get; init; } = [];
}

public sealed record CgroupMountSource(string Name, string HostPath);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InitConfig))]
internal sealed partial class InitJsonContext : JsonSerializerContext;
