namespace LibContainer.Spec;

/// <summary>Reads config.json and turns JSON errors into messages that name the field.</summary>
public static class SpecLoader
{
    public static RuntimeSpec Load(string bundle)
    {
        var path = System.IO.Path.Combine(bundle, "config.json");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            throw new ContainerError($"{path}: no such file: the bundle has no config.json (see `oci-run spec`)");
        }
        catch (DirectoryNotFoundException)
        {
            throw new ContainerError($"bundle {bundle}: no such directory");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ContainerError($"{path}: {e.Message}");
        }
        return Parse(bytes);
    }

    public static RuntimeSpec Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, SpecJsonContext.Default.RuntimeSpec)
                ?? throw new ContainerError("config.json: the document is null");
        }
        catch (JsonException e)
        {
            var where = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" at {e.Path}";
            throw new ContainerError($"config.json: invalid JSON{where}: {FirstSentence(e.Message)}");
        }
    }

    public static string Serialize(RuntimeSpec spec) =>
        JsonSerializer.Serialize(spec, SpecJsonContext.Default.RuntimeSpec);

    // System.Text.Json appends "Path: ... | LineNumber: ..." which we already report.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
