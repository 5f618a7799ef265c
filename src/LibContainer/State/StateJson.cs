using System.Globalization;

namespace LibContainer.State;

/// <summary>
/// JSON for state.json and the `state`/`list` output, written and read by
/// hand: these run on every command, and the serializer's metadata would cost
/// more to build at start-up than the whole command.
/// </summary>
public static class StateJson
{
    public static byte[] Write(ContainerState s) => Build(indented: false, json =>
    {
        json.WriteStartObject();
        json.WriteString("id", s.Id);
        json.WriteNumber("pid", s.Pid);
        json.WriteNumber("pidStartTime", s.PidStartTime);
        json.WriteString("bundle", s.Bundle);
        json.WriteString("rootfs", s.Rootfs);
        json.WriteString("created", s.Created);
        json.WriteNumber("owner", s.Owner);
        WriteMap(json, "annotations", s.Annotations);
        WriteMap(json, "cgroupPaths", s.CgroupPaths);
        json.WriteEndObject();
    });

    public static ContainerState Read(byte[] bytes)
    {
        using var document = JsonDocument.Parse(bytes);
        var e = document.RootElement;
        return new ContainerState
        {
            Id = e.GetProperty("id").GetString()!,
            Pid = e.GetProperty("pid").GetInt32(),
            PidStartTime = e.GetProperty("pidStartTime").GetUInt64(),
            Bundle = e.GetProperty("bundle").GetString()!,
            Rootfs = e.GetProperty("rootfs").GetString()!,
            Created = e.GetProperty("created").GetString()!,
            Owner = e.GetProperty("owner").GetUInt32(),
            Annotations = ReadMap(e, "annotations"),
            CgroupPaths = ReadMap(e, "cgroupPaths") ?? [],
        };
    }

    /// <summary>`state`: indented like runc's.</summary>
    public static string Format(OciState s) => System.Text.Encoding.UTF8.GetString(Build(indented: true, json => WriteOci(json, s)));

    /// <summary>`list --format json`: one line.</summary>
    public static string Format(IReadOnlyList<OciState> states) => System.Text.Encoding.UTF8.GetString(Build(indented: false, json =>
    {
        json.WriteStartArray();
        foreach (var s in states) WriteOci(json, s);
        json.WriteEndArray();
    }));

    private static void WriteOci(Utf8JsonWriter json, OciState s)
    {
        json.WriteStartObject();
        json.WriteString("ociVersion", s.OciVersion);
        json.WriteString("id", s.Id);
        json.WriteNumber("pid", s.Pid);
        json.WriteString("status", s.Status);
        json.WriteString("bundle", s.Bundle);
        json.WriteString("rootfs", s.Rootfs);
        json.WriteString("created", s.Created);
        json.WriteString("owner", s.Owner);
        WriteMap(json, "annotations", s.Annotations);
        json.WriteEndObject();
    }

    private static byte[] Build(bool indented, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            write(json);
        return buffer.ToArray();
    }

    private static void WriteMap(Utf8JsonWriter json, string name, Dictionary<string, string>? map)
    {
        if (map is null) return;
        json.WriteStartObject(name);
        foreach (var (key, value) in map) json.WriteString(key, value);
        json.WriteEndObject();
    }

    private static Dictionary<string, string>? ReadMap(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var m) || m.ValueKind != JsonValueKind.Object) return null;
        var map = new Dictionary<string, string>();
        foreach (var p in m.EnumerateObject()) map[p.Name] = p.Value.GetString() ?? "";
        return map;
    }
}
