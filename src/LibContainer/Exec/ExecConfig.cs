using LibContainer.Security.Seccomp;
using LibContainer.Spec;

namespace LibContainer.Exec;

/// <summary>
/// The config frame of an `exec`: what the process needs besides the namespaces
/// and cgroups its C stage joined. The seccomp filter comes compiled: `exec`
/// has the filter cache under --root, init (in the container's mount
/// namespace) does not.
/// </summary>
public sealed record ExecConfig(Process Process, int PreserveFds, int LastCap, SeccompProgram? Seccomp, ulong? Personality = null, Kernel.MemoryPolicyPlan? MemoryPolicy = null)
{
    // Written first, so init tells an exec's config from a create's by its first bytes.
    private static readonly byte[] Marker = "{\"exec\":true"u8.ToArray();

    public static bool IsExec(ReadOnlySpan<byte> payload) => payload.StartsWith(Marker);

    public byte[] Encode()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = MinimalJsonEncoder.Instance }))
        {
            json.WriteStartObject();
            json.WriteBoolean("exec", true);
            json.WriteNumber("preserveFds", PreserveFds);
            json.WriteNumber("lastCap", LastCap);
            if (Personality is { } persona) json.WriteNumber("personality", persona);
            if (MemoryPolicy is { } policy)
            {
                json.WriteNumber("mempolicyMode", policy.ModeAndFlags);
                json.WriteStartArray("mempolicyNodes");
                foreach (var node in policy.Nodes) json.WriteNumberValue(node);
                json.WriteEndArray();
            }
            if (Seccomp is { } filter)
            {
                json.WriteNumber("seccompFlags", filter.Flags);
                json.WriteBase64String("seccompBpf", filter.Bpf);
            }
            json.WritePropertyName("process");
            ProcessWriter.Write(json, Process);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static ExecConfig Decode(byte[] payload)
    {
        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        var seccomp = root.TryGetProperty("seccompBpf", out var bpf)
            ? new SeccompProgram(bpf.GetBytesFromBase64(), root.GetProperty("seccompFlags").GetUInt32())
            : null;
        var process = new SpecReader().ReadProcess(root.GetProperty("process"), "process");
        ulong? personality = root.TryGetProperty("personality", out var persona) ? persona.GetUInt64() : null;
        Kernel.MemoryPolicyPlan? memoryPolicy = null;
        if (root.TryGetProperty("mempolicyMode", out var mode))
        {
            var nodes = new List<int>();
            foreach (var node in root.GetProperty("mempolicyNodes").EnumerateArray()) nodes.Add(node.GetInt32());
            memoryPolicy = new Kernel.MemoryPolicyPlan(mode.GetInt32(), nodes);
        }
        return new ExecConfig(process, root.GetProperty("preserveFds").GetInt32(), root.GetProperty("lastCap").GetInt32(), seccomp, personality, memoryPolicy);
    }
}
