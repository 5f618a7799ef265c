using LibContainer.Cgroups;

namespace LibContainer.Tests.Cgroups;

/// <summary>
/// Cgroup files in memory: each path holds a text, writes replace it (and are
/// recorded in order), and a path may be given a script of texts that its
/// reads return one by one, the last one for good, whatever is written: a
/// kernel file that answers a write in its own time.
/// </summary>
public sealed class FakeCgroupFiles : ICgroupFiles
{
    private readonly Dictionary<string, Queue<string>> _scripts = [];

    /// <summary>The files there are, by path, with their text.</summary>
    public Dictionary<string, string> Files { get; } = [];

    /// <summary>The writes that took, in order.</summary>
    public List<(string Path, string Value)> Writes { get; } = [];

    /// <summary>Every write tried, taken or not, as "write PATH VALUE".</summary>
    public List<string> Attempts { get; } = [];

    /// <summary>The errno a write to a path answers, instead of succeeding.</summary>
    public Dictionary<string, int> WriteErrors { get; } = [];

    /// <summary>The errno the next write to a path answers, once.</summary>
    public Dictionary<string, int> WriteErrorsOnce { get; } = [];

    /// <summary>What the kernel keeps of a written value (it may clamp it); the value itself by default.</summary>
    public Func<string, string, string> Stored { get; set; } = (_, value) => value;

    public FakeCgroupFiles With(string path, string text)
    {
        Files[path] = text;
        return this;
    }

    /// <summary>Reads of `path` return these texts in turn, then keep returning the last; writes do not change that.</summary>
    public FakeCgroupFiles Reading(string path, params string[] texts)
    {
        _scripts[path] = new Queue<string>(texts);
        Files[path] = texts[^1];
        return this;
    }

    public string? Read(string path)
    {
        if (_scripts.TryGetValue(path, out var script)) return script.Count > 1 ? script.Dequeue() : script.Peek();
        return Files.GetValueOrDefault(path);
    }

    public int TryWrite(string path, string value)
    {
        Attempts.Add($"write {path} {value}");
        if (WriteErrors.TryGetValue(path, out var errno)) return errno;
        if (WriteErrorsOnce.Remove(path, out var once)) return once;
        if (!Files.ContainsKey(path)) return 2; // ENOENT
        Writes.Add((path, value));
        Files[path] = Stored(path, value);
        return 0;
    }

    public IReadOnlyList<string> List(string dir)
    {
        var names = new List<string>();
        foreach (var path in Files.Keys)
            if (Path.GetDirectoryName(path) == dir) names.Add(Path.GetFileName(path));
        return names;
    }

    /// <summary>The values written to `path`, in order.</summary>
    public List<string> WritesTo(string path) => Writes.Where(w => w.Path == path).Select(w => w.Value).ToList();
}
