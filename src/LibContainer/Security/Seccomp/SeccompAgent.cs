using LibContainer.Interop;

namespace LibContainer.Security.Seccomp;

/// <summary>
/// Hands a seccomp notify listener to the agent at listenerPath, as runc does:
/// one connection, one message (the runtime-spec's ContainerProcessState JSON:
/// the fd names, init's PID, listenerMetadata and the container's state, with
/// status "creating") with the listener attached (SCM_RIGHTS).
/// </summary>
public static class SeccompAgent
{
    public const string FdName = "seccompFd";

    public static byte[] Message(string ociVersion, string id, int pid, string bundle, Dictionary<string, string>? annotations, string? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Spec.MinimalJsonEncoder.Instance }))
        {
            json.WriteStartObject();
            json.WriteString("ociVersion", ociVersion);
            json.WriteStartArray("fds");
            json.WriteStringValue(FdName);
            json.WriteEndArray();
            json.WriteNumber("pid", pid);
            if (!string.IsNullOrEmpty(metadata)) json.WriteString("metadata", metadata);
            json.WriteStartObject("state");
            json.WriteString("ociVersion", ociVersion);
            json.WriteString("id", id);
            json.WriteString("status", "creating");
            json.WriteNumber("pid", pid);
            json.WriteString("bundle", bundle);
            if (annotations is { Count: > 0 })
            {
                json.WriteStartObject("annotations");
                foreach (var (key, value) in annotations) json.WriteString(key, value);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static void Send(string listenerPath, byte[] message, int listener)
    {
        var what = $"linux.seccomp.listenerPath: send the seccomp listener to {listenerPath}";
        using var socket = UnixRights.Connect(listenerPath, what);
        UnixRights.Send(socket.Value, message, listener, what);
    }
}
