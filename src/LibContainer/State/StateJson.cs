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
        if (s.CgroupDriver is not null) json.WriteString("cgroupDriver", s.CgroupDriver);
        if (s.Creating) json.WriteBoolean("creating", true);
        WriteHooks(json, "poststart", s.Poststart);
        WriteHooks(json, "poststop", s.Poststop);
        json.WriteEndObject();
    });

    /// <summary>Reads state.json with a forward-only reader: `list` does this for every container.</summary>
    public static ContainerState Read(byte[] bytes, bool withCgroupPaths = true)
    {
        var json = new Utf8JsonReader(bytes);
        string? id = null, bundle = null, rootfs = null, created = null, driver = null;
        int pid = 0;
        ulong startTime = 0;
        uint owner = 0;
        var creating = false;
        Dictionary<string, string>? annotations = null, cgroupPaths = null;
        List<Spec.Hook>? poststart = null, poststop = null;
        Expect(ref json, JsonTokenType.StartObject);
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            var name = json.GetString();
            json.Read();
            switch (name)
            {
                case "id": id = json.GetString(); break;
                case "pid": pid = json.GetInt32(); break;
                case "pidStartTime": startTime = json.GetUInt64(); break;
                case "bundle": bundle = json.GetString(); break;
                case "rootfs": rootfs = json.GetString(); break;
                case "created": created = json.GetString(); break;
                case "owner": owner = json.GetUInt32(); break;
                case "annotations": annotations = ReadMap(ref json); break;
                case "cgroupPaths" when withCgroupPaths: cgroupPaths = ReadMap(ref json); break;
                case "creating": creating = json.GetBoolean(); break;
                case "cgroupDriver": driver = json.GetString(); break;
                case "poststart": poststart = ReadHooks(ref json); break;
                case "poststop": poststop = ReadHooks(ref json); break;
                default: json.Skip(); break;
            }
        }
        if (id is null || bundle is null || rootfs is null || created is null) throw new JsonException("a required field is missing");
        return new ContainerState
        {
            Id = id, Pid = pid, PidStartTime = startTime, Bundle = bundle, Rootfs = rootfs, Created = created, Owner = owner,
            Annotations = annotations, CgroupPaths = cgroupPaths ?? [], CgroupDriver = driver, Creating = creating,
            Poststart = poststart, Poststop = poststop,
        };
    }

    private static void Expect(ref Utf8JsonReader json, JsonTokenType type)
    {
        if (!json.Read() || json.TokenType != type) throw new JsonException($"expected {type}");
    }

    private static Dictionary<string, string> ReadMap(ref Utf8JsonReader json)
    {
        if (json.TokenType != JsonTokenType.StartObject) throw new JsonException("expected an object");
        var map = new Dictionary<string, string>();
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            var key = json.GetString()!;
            json.Read();
            map[key] = json.GetString() ?? "";
        }
        return map;
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
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented, Encoder = LibContainer.Spec.MinimalJsonEncoder.Instance }))
            write(json);
        return buffer.ToArray();
    }

    private static void WriteHooks(Utf8JsonWriter json, string name, List<Spec.Hook>? hooks)
    {
        if (hooks is not { Count: > 0 }) return;
        json.WriteStartArray(name);
        foreach (var h in hooks)
        {
            json.WriteStartObject();
            json.WriteString("path", h.Path);
            WriteList(json, "args", h.Args);
            WriteList(json, "env", h.Env);
            if (h.Timeout is { } timeout) json.WriteNumber("timeout", timeout);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteList(Utf8JsonWriter json, string name, List<string>? list)
    {
        if (list is null) return;
        json.WriteStartArray(name);
        foreach (var item in list) json.WriteStringValue(item);
        json.WriteEndArray();
    }

    private static List<Spec.Hook> ReadHooks(ref Utf8JsonReader json)
    {
        if (json.TokenType != JsonTokenType.StartArray) throw new JsonException("expected an array");
        var hooks = new List<Spec.Hook>();
        while (json.Read() && json.TokenType == JsonTokenType.StartObject)
        {
            string? path = null;
            List<string>? args = null, env = null;
            int? timeout = null;
            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                var name = json.GetString();
                json.Read();
                switch (name)
                {
                    case "path": path = json.GetString(); break;
                    case "args": args = ReadList(ref json); break;
                    case "env": env = ReadList(ref json); break;
                    case "timeout": timeout = json.GetInt32(); break;
                    default: json.Skip(); break;
                }
            }
            hooks.Add(new Spec.Hook { Path = path, Args = args, Env = env, Timeout = timeout });
        }
        return hooks;
    }

    private static List<string> ReadList(ref Utf8JsonReader json)
    {
        if (json.TokenType != JsonTokenType.StartArray) throw new JsonException("expected an array");
        var list = new List<string>();
        while (json.Read() && json.TokenType == JsonTokenType.String) list.Add(json.GetString()!);
        return list;
    }

    private static void WriteMap(Utf8JsonWriter json, string name, Dictionary<string, string>? map)
    {
        if (map is null) return;
        json.WriteStartObject(name);
        foreach (var (key, value) in map) json.WriteString(key, value);
        json.WriteEndObject();
    }
}
