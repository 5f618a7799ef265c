using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using LibContainer;
using LibContainer.Spec;
using LibContainer.Validation;

namespace LibContainer.Tests;

/// <summary>
/// Whatever config.json holds, loading and validating it ends in a spec or in
/// one ContainerError (a single line a person can read), never in another
/// exception and never in a hang. Bounded: each property runs a fixed number
/// of cases and the class takes a few seconds. A failure prints the CsCheck
/// seed that reproduces it (set CsCheck_Seed to replay).
/// </summary>
public sealed class SpecLoaderPropertyTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Cases = 3000;
    private static readonly TimeSpan SlowestCase = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan WholeProperty = TimeSpan.FromSeconds(60);

    [Fact]
    public void Random_bytes_are_loaded_or_refused() =>
        Check(Gen.Byte.Array[0, 400], Cases);

    [Fact]
    public void Random_json_shaped_bytes_are_loaded_or_refused() =>
        Check(Gen.OneOf(Tokens).Array[0, 80].Select(parts => parts.SelectMany(p => p).ToArray()), Cases);

    [Fact]
    public void Random_json_documents_are_loaded_or_refused() =>
        Check(Document.Select(Encoding.UTF8.GetBytes), Cases);

    [Fact]
    public void Mutations_of_a_valid_config_are_loaded_or_refused() =>
        Check(Mutation.Array[1, 4].Select(Mutate), Cases);

    [Fact]
    public void Random_config_files_are_loaded_or_refused()
    {
        // The same through the file, fewer cases: each writes a file.
        var bundle = Directory.CreateTempSubdirectory("ocirun-prop-").FullName;
        try
        {
            var path = Path.Combine(bundle, "config.json");
            var gen = Gen.OneOf(Mutation.Array[1, 3].Select(Mutate), Gen.Byte.Array[0, 200]);
            var tally = new Tally();
            RunBounded(() => gen.Sample(json =>
            {
                File.WriteAllBytes(path, json);
                LoadsOrRefuses(() => SpecValidator.LoadValid(bundle), "", tally);
            }, writeLine: output.WriteLine, iter: 300, threads: 1, print: Print));
            output.WriteLine(tally.ToString());
        }
        finally
        {
            Directory.Delete(bundle, true);
        }
    }

    [Fact]
    public void The_base_config_of_the_mutations_is_valid()
    {
        SpecValidator.ParseValid(Encoding.UTF8.GetBytes(BaseConfig().ToJsonString())).Hostname.Should().Be("box");
    }

    // ---- the property ----

    private void Check(Gen<byte[]> gen, int cases)
    {
        var tally = new Tally();
        RunBounded(() => gen.Sample(json => LoadsOrRefuses(() => SpecValidator.ParseValid(json), "config.json: ", tally),
            writeLine: output.WriteLine, iter: cases, print: Print));
        output.WriteLine(tally.ToString());
    }

    /// <summary>How the cases ended, to see in the test log that both outcomes are reached.</summary>
    private sealed class Tally
    {
        private int _parsed, _refused;

        public void Parsed() => Interlocked.Increment(ref _parsed);

        public void Refused() => Interlocked.Increment(ref _refused);

        public override string ToString() => $"{_parsed} parsed and valid, {_refused} refused";
    }

    private static void LoadsOrRefuses(Action load, string prefix, Tally tally)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            load();
            tally.Parsed();
        }
        catch (ContainerError e)
        {
            tally.Refused();
            e.Message.Should().StartWith(prefix).And.NotContainAny(["\n", "\r"], "the CLI prints one line");
            e.Message.Length.Should().BeLessThan(64 * 1024, "values are cut and the list is capped");
        }
        clock.Elapsed.Should().BeLessThan(SlowestCase, "no input may make the loader hang");
    }

    // A case that loops forever would never return to CsCheck: fail instead of blocking the run.
    private static void RunBounded(Action property)
    {
        var run = Task.Run(property);
        run.Wait(WholeProperty).Should().BeTrue($"the property must finish within {WholeProperty.TotalSeconds} s");
    }

    private static string Print(byte[] json)
    {
        var text = new StringBuilder($"{json.Length} bytes: ");
        foreach (var b in json.Take(600))
            text.Append(b is >= 0x20 and < 0x7f ? ((char)b).ToString() : $"\\x{b:X2}");
        return text.ToString();
    }

    // ---- JSON-shaped bytes ----

    private static readonly byte[][] Tokens =
    [
        .. new[]
        {
            "{", "}", "[", "]", "\"", ":", ",", " ", "\n", "\\", "\\u", "\\ud800", "\\u0000", "/", "*", "//", "/*", "0", "1", "-", ".", "e",
            "99999999999999999999", "true", "false", "null", "\"ociVersion\"", "\"1.2.1\"", "\"process\"", "\"args\"", "\"linux\"",
            "\"namespaces\"", "\"type\"", "\"mount\"", "\"root\"", "\"path\"", "\"user\"", "\"uid\"", "\"sysctl\"",
        }.Select(Encoding.UTF8.GetBytes),
        [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0x80], [0xEF, 0xBB, 0xBF], [0x00],
    ];

    // ---- random JSON documents ----

    // Field names of the spec, so random documents reach deep into the reader.
    private static readonly string[] Names =
    [
        "ociVersion", "process", "root", "hostname", "domainname", "mounts", "hooks", "annotations", "linux", "windows", "vm",
        "terminal", "consoleSize", "user", "uid", "gid", "umask", "additionalGids", "args", "env", "cwd", "capabilities",
        "bounding", "effective", "rlimits", "type", "hard", "soft", "noNewPrivileges", "oomScoreAdj", "path", "readonly",
        "destination", "source", "options", "uidMappings", "containerID", "hostID", "size", "prestart", "namespaces",
        "sysctl", "resources", "devices", "allow", "access", "major", "minor", "memory", "limit", "cpu", "pids", "seccomp",
        "rootfsPropagation", "maskedPaths", "timeOffsets", "secs", "rdma", "unified", "blockIO", "weight", "net.ipv4.ip_forward", "",
    ];

    private static readonly Gen<string> JsonString = Gen.Frequency(
        (4, Gen.String[0, 40].Select(Quote)),
        (4, Gen.OneOf(Names).Select(Quote)),
        (1, Gen.OneOf("1.2.1", "1.3.0", "99.0.0", "abc", "", "/", "rootfs", "mount", "uts", "CAP_KILL", "RLIMIT_NOFILE").Select(Quote)),
        (1, Gen.OneOf("\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"\\udc00x\"", "\"\\ud83d\\ude00\"", "\"\\n\\t\"")),
        (1, Gen.Int[101, 2000].Select(n => $"\"{new string('x', n)}\""))); // the mutations try 100 KB

    private static readonly Gen<string> Scalar = Gen.Frequency(
        (4, JsonString),
        (2, Gen.Long.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (1, Gen.OneOf("0", "-1", "-0", "1.5", "1e400", "4294967296", "18446744073709551616", "-9223372036854775809", "2e2", "0.0")),
        (1, Gen.OneOf("true", "false", "null")));

    private static readonly Gen<string> Value = Gen.Recursive<string>((depth, value) => depth >= 4
        ? Scalar
        : Gen.Frequency(
            (5, Scalar),
            (1, value.Array[0, 4].Select(items => $"[{string.Join(',', items)}]")),
            (2, ObjectOf(value))));

    private static Gen<string> ObjectOf(Gen<string> value) =>
        Gen.Select(Gen.Frequency((5, Gen.OneOf(Names).Select(Quote)), (1, JsonString)), value).Array[0, 6]
            .Select(fields => $"{{{string.Join(',', fields.Select(f => $"{f.Item1}:{f.Item2}"))}}}");

    private static readonly Gen<string> Document = Gen.Frequency((8, ObjectOf(Value)), (1, Value));

    /// <summary>Any .NET string as a JSON string, lone surrogates and control characters as \u escapes.</summary>
    private static string Quote(string s)
    {
        var text = new StringBuilder("\"");
        foreach (var c in s)
        {
            if (c is '"' or '\\' or < ' ' || char.IsSurrogate(c)) text.Append($"\\u{(int)c:x4}");
            else text.Append(c);
        }
        return text.Append('"').ToString();
    }

    // ---- mutations of a valid config ----

    /// <summary>What to do, where (an index into the nodes or bytes, taken modulo their count), and a JSON value to put there.</summary>
    private sealed record Change(int Kind, int Where, string Payload);

    private static readonly Gen<Change> Mutation = Gen.Select(Gen.Int[0, 11], Gen.Int[0, int.MaxValue], Value, (k, w, p) => new Change(k, w, p));

    private static JsonObject BaseConfig()
    {
        var config = JsonNode.Parse(DefaultSpec.Json)!.AsObject();
        config["hostname"] = "box";
        config["annotations"] = new JsonObject { ["org.example"] = "v" };
        var linux = config["linux"]!.AsObject();
        linux["sysctl"] = new JsonObject { ["net.ipv4.ip_forward"] = "1" };
        linux["devices"] = new JsonArray(new JsonObject { ["path"] = "/dev/fuse", ["type"] = "c", ["major"] = 10, ["minor"] = 229 });
        config["process"]!["rlimits"] = new JsonArray(new JsonObject { ["type"] = "RLIMIT_NOFILE", ["hard"] = 1024, ["soft"] = 1024 });
        return config;
    }

    /// <summary>
    /// Applies the changes to the base config. Values are put in as placeholders
    /// and replaced in the text, so they may be anything, even what JsonNode
    /// would refuse to write (half a surrogate pair, 10,000 nested arrays).
    /// </summary>
    private static byte[] Mutate(Change[] changes)
    {
        var config = BaseConfig();
        var raw = new Dictionary<string, string>();
        var byteChanges = new List<Change>();
        foreach (var change in changes)
        {
            var nodes = new List<JsonNode>();
            Collect(config, nodes);
            var node = nodes[change.Where % nodes.Count];
            var strings = nodes.Where(n => n is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String).ToList();
            var text = strings.Count > 0 ? strings[change.Where % strings.Count] : null;
            string Placeholder(string value)
            {
                var key = $"@@{raw.Count}@@";
                raw[key] = value;
                return key;
            }
            switch (change.Kind)
            {
                case 0: Replace(node, JsonValue.Create(Placeholder(change.Payload))); break; // most often a wrong type
                case 1: Remove(node); break;
                case 2 when text is not null: Replace(text, JsonValue.Create(new string('x', 100_000))); break;
                case 3 when text is not null: Replace(text, JsonValue.Create($"{text.GetValue<string>()}\0")); break;
                case 4: Replace(node, JsonValue.Create(Placeholder($"{new string('[', change.Where % 20_000)}{new string(']', change.Where % 20_000)}"))); break;
                case 5: Replace(node, JsonValue.Create(Placeholder(Deep(change.Where % 200)))); break;
                case 6 when text is not null: Replace(text, JsonValue.Create(Placeholder("\"\\ud800\""))); break;
                default: byteChanges.Add(change); break;
            }
        }
        var json = config.ToJsonString();
        foreach (var (key, value) in raw) json = json.Replace($"\"{key}\"", value);
        var bytes = Encoding.UTF8.GetBytes(json).ToList();
        foreach (var change in byteChanges)
        {
            var at = change.Where % (bytes.Count + 1);
            switch (change.Kind)
            {
                case 7: bytes.InsertRange(at, new byte[][] { [0xFF], [0xC0, 0x80], [0xED, 0xB0, 0x80], [0xF4, 0x90] }[change.Where % 4]); break;
                case 8: bytes.RemoveRange(at, bytes.Count - at); break;
                case 9: bytes.InsertRange(At(bytes, (byte)',', change.Where) is var c and >= 0 ? c + 1 : at, "/* c */"u8.ToArray()); break;
                case 10: if (At(bytes, (byte)'}', change.Where) is var b and >= 0) bytes.Insert(b, (byte)','); break;
                default: bytes.Insert(at, (byte)change.Payload.FirstOrDefault('x')); break;
            }
        }
        return [.. bytes];
    }

    // Nested objects, deeper than JsonDocument's limit of 64 when `depth` is.
    private static string Deep(int depth) => $"{string.Concat(Enumerable.Repeat("{\"a\":", depth))}1{new string('}', depth)}";

    private static void Collect(JsonNode node, List<JsonNode> into)
    {
        if (node.Parent is not null) into.Add(node);
        if (node is JsonObject o)
            foreach (var (_, child) in o)
                if (child is not null) Collect(child, into);
        if (node is JsonArray a)
            foreach (var child in a)
                if (child is not null) Collect(child, into);
    }

    private static void Replace(JsonNode node, JsonNode with)
    {
        if (node.Parent is JsonObject o) o[node.GetPropertyName()] = with;
        else if (node.Parent is JsonArray a) a[node.GetElementIndex()] = with;
    }

    private static void Remove(JsonNode node)
    {
        if (node.Parent is JsonObject o) o.Remove(node.GetPropertyName());
        else if (node.Parent is JsonArray a) a.RemoveAt(node.GetElementIndex());
    }

    // The index of the n-th (modulo their count) occurrence of `b`, or -1.
    private static int At(List<byte> bytes, byte b, int n)
    {
        var count = 0;
        foreach (var x in bytes) if (x == b) count++;
        if (count == 0) return -1;
        var wanted = n % count;
        for (var i = 0; i < bytes.Count; i++)
            if (bytes[i] == b && wanted-- == 0) return i;
        return -1;
    }
}
