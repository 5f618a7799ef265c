using System.Text.Unicode;
using LibContainer.Interop;

namespace LibContainer.Spec;

/// <summary>A config.json as read: the model, and the bytes to hand on to init unchanged.</summary>
public sealed record LoadedSpec(RuntimeSpec Spec, byte[] Json);

/// <summary>Reads config.json; errors name the file and the field.</summary>
public static class SpecLoader
{
    /// <summary>Far above any real config (runc's default is ~3 KB), far below memory trouble.</summary>
    public const int MaxSize = 16 << 20;

    // Strict, as runc's encoding/json: no comments, no trailing commas.
    private static readonly JsonDocumentOptions Options = new();

    /// <summary>Reads and parses; a wrong-typed field is an error, the validator is not run.</summary>
    public static LoadedSpec Load(string bundle)
    {
        var bytes = ReadFile(bundle);
        return new LoadedSpec(Parse(bytes), bytes);
    }

    public static RuntimeSpec Parse(ReadOnlyMemory<byte> json)
    {
        var spec = Read(json, out var problems);
        if (problems.Count > 0) throw SpecProblems.Error(problems);
        return spec;
    }

    public static RuntimeSpec Parse(string json) => Parse(System.Text.Encoding.UTF8.GetBytes(json));

    /// <summary>
    /// Parses what it can and says which fields had the wrong type (they read as
    /// absent), for Validation to list with its own problems. JSON that is not
    /// a config at all (invalid UTF-8 or JSON, not an object) is an error at once.
    /// </summary>
    internal static RuntimeSpec Read(ReadOnlyMemory<byte> json, out IReadOnlyList<SpecProblem> problems) =>
        ReadDocument(json, "config.json", (reader, root) => reader.ReadSpec(root), out problems);

    /// <summary>
    /// A linux.resources object on its own, as `update --resources` takes it;
    /// errors name `source` (the file, or "standard input") and the field.
    /// </summary>
    public static Resources ParseResources(ReadOnlyMemory<byte> json, string source)
    {
        var resources = ReadDocument(json, source, (reader, root) => reader.ReadResources(root, ""), out var problems);
        if (problems.Count > 0) throw SpecProblems.Error(problems, source);
        return resources;
    }

    private static T ReadDocument<T>(ReadOnlyMemory<byte> json, string source, Func<SpecReader, JsonElement, T> map, out IReadOnlyList<SpecProblem> problems)
    {
        // System.Text.Json reads invalid UTF-8 inside strings and fails only when the string is
        // fetched, with an exception that is not a JsonException: check it all first (vectorized).
        if (!Utf8.IsValid(json.Span)) throw NotUtf8(json.Span, source);
        // Half a surrogate pair in a \u escape fails the same way when its string (or a field
        // name next to one looked up) is read: rare enough to look for only when one may be there.
        if (MayHaveSurrogateEscape(json.Span) && HalfSurrogate(json.Span, source) is { } half) throw half;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            throw InvalidJson(json.Span, e, source);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ContainerError($"{source}: the document must be a JSON object");
            var reader = new SpecReader();
            var result = map(reader, document.RootElement);
            problems = reader.Problems;
            return result;
        }
    }

    private static ContainerError InvalidJson(ReadOnlySpan<byte> json, JsonException e, string source)
    {
        if (e.LineNumber is not { } line || e.BytePositionInLine is not { } column)
            return new ContainerError($"{source}: invalid JSON: {Reason(e)}");
        var where = $" at line {line + 1}, column {column + 1}";
        // System.Text.Json's own words for these two tell the user to change "the reader options".
        var at = Offset(json, line, column);
        if (at < json.Length && json[at] == '/' && at + 1 < json.Length && json[at + 1] is (byte)'/' or (byte)'*')
            return new ContainerError($"{source}: invalid JSON{where}: a comment; JSON has none (runc refuses them too)");
        var before = json[..Math.Min(at, json.Length)].TrimEnd(" \t\r\n"u8);
        if (at < json.Length && json[at] is (byte)']' or (byte)'}' && before.Length > 0 && before[^1] == ',')
            return new ContainerError($"{source}: invalid JSON{where}: a comma before '{(char)json[at]}'; JSON allows no trailing comma (runc refuses it too)");
        return new ContainerError($"{source}: invalid JSON{where}: {Reason(e)}");
    }

    private static string Reason(JsonException e) => e.Message.Split(" LineNumber:")[0].Split(" Path:")[0].TrimEnd('.', ' ');

    // The byte offset of a 0-based line and byte column.
    private static int Offset(ReadOnlySpan<byte> json, long line, long column)
    {
        var start = 0;
        for (var i = 0L; i < line; i++)
        {
            var newline = json[start..].IndexOf((byte)'\n');
            if (newline < 0) return json.Length;
            start += newline + 1;
        }
        return (int)Math.Min(start + column, json.Length);
    }

    // A \u escape of D800-DFFF.
    private static bool MayHaveSurrogateEscape(ReadOnlySpan<byte> json)
    {
        var rest = json;
        while (rest.IndexOf("\\u"u8) is var at and >= 0)
        {
            if (at + 3 < rest.Length && rest[at + 2] is (byte)'d' or (byte)'D'
                && rest[at + 3] is (>= (byte)'8' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F'))
                return true;
            rest = rest[(at + 2)..];
        }
        return false;
    }

    // Every string and field name with an escape, unescaped: the first that fails, with where it is.
    private static ContainerError? HalfSurrogate(ReadOnlySpan<byte> json, string source)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || !reader.ValueIsEscaped) continue;
                try
                {
                    reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    var (line, column) = LineAndColumn(json, (int)reader.TokenStartIndex);
                    return new ContainerError($"{source}: invalid JSON at line {line}, column {column}: a \\u escape holds half of a UTF-16 surrogate pair");
                }
            }
        }
        catch (JsonException)
        {
            // Broken JSON: JsonDocument.Parse says where.
        }
        return null;
    }

    private static (int Line, int Column) LineAndColumn(ReadOnlySpan<byte> json, int offset) =>
        (json[..offset].Count((byte)'\n') + 1, offset - json[..offset].LastIndexOf((byte)'\n'));

    private static ContainerError NotUtf8(ReadOnlySpan<byte> json, string source)
    {
        var at = 0;
        while (System.Text.Rune.DecodeFromUtf8(json[at..], out _, out var length) == System.Buffers.OperationStatus.Done) at += length;
        var (line, column) = LineAndColumn(json, at);
        return new ContainerError($"{source}: not valid UTF-8 at line {line}, column {column} (byte 0x{json[at]:X2}): save the file as UTF-8");
    }

    /// <summary>
    /// config.json's bytes. It must be a regular file (a symlink to one is fine)
    /// no bigger than MaxSize, checked with fstat before anything is read: a
    /// symlink to /dev/zero or a FIFO fails at once instead of filling memory or
    /// blocking. A regular file is read with one read(2) of its size.
    /// </summary>
    internal static byte[] ReadFile(string bundle)
    {
        var path = Path.Combine(bundle, "config.json");
        return ReadJsonFile(path, "config.json", () => Directory.Exists(bundle)
            ? $"{path}: no such file: the bundle has no config.json (see `oci-run spec`)"
            : $"bundle {bundle}: no such directory");
    }

    /// <summary>
    /// `exec --process FILE`: a process object on its own (runc's process.json);
    /// errors name the file and the field.
    /// </summary>
    public static Process LoadProcess(string path)
    {
        var bytes = ReadJsonFile(path, "process file", () => $"{path}: no such file");
        var process = ReadDocument(bytes, path, (reader, root) => reader.ReadProcess(root, ""), out var problems);
        if (problems.Count > 0) throw SpecProblems.Error(problems, path);
        return process;
    }

    /// <summary>A process object from JSON, as init reads what `exec` decided.</summary>
    public static Process ParseProcess(ReadOnlyMemory<byte> json, string source)
    {
        var process = ReadDocument(json, source, (reader, root) => reader.ReadProcess(root, ""), out var problems);
        if (problems.Count > 0) throw SpecProblems.Error(problems, source);
        return process;
    }

    /// <summary>
    /// A JSON file's bytes. It must be a regular file (a symlink to one is fine)
    /// no bigger than MaxSize, checked with fstat before anything is read: a
    /// symlink to /dev/zero or a FIFO fails at once instead of filling memory or
    /// blocking. A regular file is read with one read(2) of its size.
    /// </summary>
    private static unsafe byte[] ReadJsonFile(string path, string what, Func<string> missing)
    {
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
        var fd = LibC.open(path, O.RDONLY | O.CLOEXEC | O.NONBLOCK, 0);
        if (fd < 0)
        {
            var errno = Syscall.LastErrno;
            if (errno is Errno.ENOENT or Errno.ENOTDIR) throw new ContainerError(missing());
            throw ContainerError.FromErrno($"open {path}", errno);
        }
        try
        {
            Syscall.Check(LibC.fstatat(fd, "", out var stat, AT.EMPTY_PATH), $"stat {path}");
            if ((stat.Mode & StatMode.S_IFMT) != StatMode.S_IFREG)
                throw new ContainerError($"{path}: not a regular file but {KindOf(stat.Mode)}: {what} must be a file");
            if (stat.Size > MaxSize)
                throw new ContainerError($"{path}: {stat.Size} bytes is too big for a {what} (the limit is {MaxSize >> 20} MiB)");
            var bytes = new byte[stat.Size];
            var length = 0;
            while (length < bytes.Length)
            {
                nint n;
                fixed (byte* p = bytes) n = LibC.read(fd, p + length, bytes.Length - length);
                if (n < 0 && Syscall.LastErrno == Errno.EINTR) continue;
                if (n < 0) throw ContainerError.FromErrno($"read {path}", Syscall.LastErrno);
                if (n == 0) return bytes[..length]; // it shrank since the fstat
                length += (int)n;
            }
            return bytes;
        }
        finally
        {
            LibC.close(fd);
        }
    }

    private static string KindOf(uint mode) => (mode & StatMode.S_IFMT) switch
    {
        StatMode.S_IFDIR => "a directory",
        StatMode.S_IFCHR => "a character device",
        StatMode.S_IFBLK => "a block device",
        StatMode.S_IFIFO => "a FIFO",
        StatMode.S_IFSOCK => "a socket",
        _ => "a special file",
    };
}
