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
    private readonly Dictionary<string, string> _files = [];
    private readonly Dictionary<string, Queue<string>> _scripts = [];

    public List<(string Path, string Value)> Writes { get; } = [];

    public FakeCgroupFiles With(string path, string text)
    {
        _files[path] = text;
        return this;
    }

    /// <summary>Reads of `path` return these texts in turn, then keep returning the last; writes do not change that.</summary>
    public FakeCgroupFiles Reading(string path, params string[] texts)
    {
        _scripts[path] = new Queue<string>(texts);
        _files[path] = texts[^1];
        return this;
    }

    public string? Read(string path)
    {
        if (_scripts.TryGetValue(path, out var script)) return script.Count > 1 ? script.Dequeue() : script.Peek();
        return _files.GetValueOrDefault(path);
    }

    public void Write(string path, string value)
    {
        if (!_files.ContainsKey(path)) throw new ContainerError($"write \"{value}\" to {path}: No such file or directory");
        Writes.Add((path, value));
        _files[path] = value;
    }

    public IReadOnlyList<string> List(string dir)
    {
        var names = new List<string>();
        foreach (var path in _files.Keys)
            if (Path.GetDirectoryName(path) == dir) names.Add(Path.GetFileName(path));
        return names;
    }

    /// <summary>The values written to `path`, in order.</summary>
    public List<string> WritesTo(string path) => Writes.Where(w => w.Path == path).Select(w => w.Value).ToList();
}
