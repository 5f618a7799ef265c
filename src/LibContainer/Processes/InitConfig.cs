using LibContainer.Spec;

namespace LibContainer.Processes;

/// <summary>Everything init needs besides its namespaces, sent by the parent as the config frame.</summary>
public sealed record InitConfig
{
    public required RuntimeSpec Spec { get; init; }
    /// <summary>The container's ID, for the state the container-namespace hooks read.</summary>
    public required string Id { get; init; }
    /// <summary>config.json as read by create; init parses it again rather than receiving a second encoding of it.</summary>
    public required byte[] SpecJson { get; init; }
    /// <summary>Absolute host path of the bundle: relative bind sources start there.</summary>
    public required string Bundle { get; init; }
    /// <summary>Absolute host path of the root filesystem.</summary>
    public required string Rootfs { get; init; }
    public bool NoPivot { get; init; }
    /// <summary>Extra fds (3 .. 3+N-1) the container process keeps.</summary>
    public int PreserveFds { get; init; }
    /// <summary>Host path of exec.fifo; init opens it before it changes its root.</summary>
    public required string FifoPath { get; init; }
    /// <summary>The container's cgroup directories to show at a "cgroup" mount, by directory name.</summary>
    public List<CgroupMountSource> CgroupMounts { get; init; } = [];
    /// <summary>Where compiled seccomp filters are kept (under --root); null: compile every time.</summary>
    public string? SeccompCacheDirectory { get; init; }

    public byte[] Encode()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true, Encoder = LibContainer.Spec.MinimalJsonEncoder.Instance }))
        {
            json.WriteStartObject();
            json.WriteString("id", Id);
            json.WriteString("bundle", Bundle);
            json.WriteString("rootfs", Rootfs);
            json.WriteBoolean("noPivot", NoPivot);
            json.WriteNumber("preserveFds", PreserveFds);
            json.WriteString("fifoPath", FifoPath);
            if (SeccompCacheDirectory is not null) json.WriteString("seccompCache", SeccompCacheDirectory);
            json.WriteStartArray("cgroupMounts");
            foreach (var m in CgroupMounts)
            {
                json.WriteStartObject();
                json.WriteString("name", m.Name);
                json.WriteString("hostPath", m.HostPath);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WritePropertyName("spec");
            json.WriteRawValue(SpecJson, skipInputValidation: true);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static InitConfig Decode(byte[] payload)
    {
        using var document = JsonDocument.Parse(payload, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var root = document.RootElement;
        return new InitConfig
        {
            Id = root.GetProperty("id").GetString()!,
            Bundle = root.GetProperty("bundle").GetString()!,
            Rootfs = root.GetProperty("rootfs").GetString()!,
            NoPivot = root.GetProperty("noPivot").GetBoolean(),
            PreserveFds = root.GetProperty("preserveFds").GetInt32(),
            FifoPath = root.GetProperty("fifoPath").GetString()!,
            SeccompCacheDirectory = root.TryGetProperty("seccompCache", out var cache) ? cache.GetString() : null,
            CgroupMounts = DecodeCgroupMounts(root.GetProperty("cgroupMounts")),
            Spec = SpecReader.Read(root.GetProperty("spec")),
            SpecJson = [],
        };
    }

    private static List<CgroupMountSource> DecodeCgroupMounts(JsonElement array)
    {
        var mounts = new List<CgroupMountSource>();
        foreach (var m in array.EnumerateArray())
            mounts.Add(new CgroupMountSource(m.GetProperty("name").GetString()!, m.GetProperty("hostPath").GetString()!));
        return mounts;
    }
}

public sealed record CgroupMountSource(string Name, string HostPath);
