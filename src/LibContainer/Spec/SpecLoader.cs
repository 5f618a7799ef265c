namespace LibContainer.Spec;

/// <summary>A config.json as read: the model, and the bytes to hand on to init unchanged.</summary>
public sealed record LoadedSpec(RuntimeSpec Spec, byte[] Json);

/// <summary>Reads config.json; errors name the file and the field.</summary>
public static class SpecLoader
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static LoadedSpec Load(string bundle)
    {
        var path = System.IO.Path.Combine(bundle, "config.json");
        var bytes = Interop.SmallFile.TryRead(path) ?? throw new ContainerError(Directory.Exists(bundle)
            ? $"{path}: no such file: the bundle has no config.json (see `oci-run spec`)"
            : $"bundle {bundle}: no such directory");
        return new LoadedSpec(Parse(bytes), bytes);
    }

    public static RuntimeSpec Parse(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, Options);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ContainerError("config.json: the document must be a JSON object");
            return SpecReader.Read(document.RootElement);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, column {e.BytePositionInLine + 1}" : "";
            var message = e.Message.Split(" LineNumber:")[0].Split(" Path:")[0].TrimEnd('.', ' ');
            throw new ContainerError($"config.json: invalid JSON{where}: {message}");
        }
    }

    public static RuntimeSpec Parse(string json) => Parse(System.Text.Encoding.UTF8.GetBytes(json));
}
