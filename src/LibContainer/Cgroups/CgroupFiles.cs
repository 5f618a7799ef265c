namespace LibContainer.Cgroups;

/// <summary>
/// The cgroup files the limits, the freezer and the stats readers touch: the
/// host's, or a fake in unit tests, so all run on any contents without root or a kernel.
/// </summary>
public interface ICgroupFiles
{
    /// <summary>The file's text; null when it does not exist (a controller that is not there, or a cgroup that is gone).</summary>
    string? Read(string path);

    /// <summary>One write(2) of `value`: 0, or the errno the kernel answered (EINVAL out of range, EBUSY a limit below the usage).</summary>
    int TryWrite(string path, string value);

    /// <summary>One write(2) of `value`; fails with an error naming the file.</summary>
    void Write(string path, string value)
    {
        if (TryWrite(path, value) is var errno and not 0)
            throw ContainerError.FromErrno($"write \"{value}\" to {path}", errno);
    }

    /// <summary>The names of the files in `dir`, in no particular order; none when it does not exist.</summary>
    IReadOnlyList<string> List(string dir);
}

/// <summary>The host's cgroup files.</summary>
public sealed class HostCgroupFiles : ICgroupFiles
{
    public static readonly HostCgroupFiles Instance = new();

    private HostCgroupFiles() { }

    public string? Read(string path) => Interop.SmallFile.TryReadText(path);

    public int TryWrite(string path, string value) => CgroupDirectory.TryWrite(path, value);

    public IReadOnlyList<string> List(string dir)
    {
        try
        {
            var names = new List<string>();
            foreach (var file in Directory.EnumerateFiles(dir)) names.Add(Path.GetFileName(file));
            return names;
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }
}
