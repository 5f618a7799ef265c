using System.Text.Json;

namespace LibContainer.Hooks;

/// <summary>The container's state as a hook reads it on its standard input: the runtime-spec's state document.</summary>
public sealed record HookState(string Id, string Status, int Pid, string Bundle, Dictionary<string, string>? Annotations)
{
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Spec.MinimalJsonEncoder.Instance }))
        {
            json.WriteStartObject();
            json.WriteString("ociVersion", Containers.SpecVersion);
            json.WriteString("id", Id);
            json.WriteString("status", Status);
            if (Pid > 0) json.WriteNumber("pid", Pid);
            json.WriteString("bundle", Bundle);
            if (Annotations is not null)
            {
                json.WriteStartObject("annotations");
                foreach (var (key, value) in Annotations) json.WriteString(key, value);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
