namespace LibContainer.Spec;

/// <summary>One thing wrong in config.json: the JSON path of the field, and what is wrong with it.</summary>
public readonly record struct SpecProblem(string Path, string Message)
{
    /// <summary>"path: message", as the error lists it.</summary>
    public override string ToString() => $"{Path}: {Message}";

    /// <summary>
    /// True when this problem is about `path` or a field inside it: once a field has
    /// the wrong type, what the validator says about it (e.g. "process: missing"
    /// after "process: expected an object") only repeats the first problem.
    /// </summary>
    public bool IsUnder(string path) =>
        Path.StartsWith(path, StringComparison.Ordinal)
        && (Path.Length == path.Length || Path[path.Length] is '.' or '[');
}
