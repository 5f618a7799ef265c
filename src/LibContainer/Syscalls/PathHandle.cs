namespace LibContainer.Syscalls;

/// <summary>
/// An open handle on a path, as ISyscalls hands it out: to LinuxSyscalls `Id`
/// is an O_PATH file descriptor, to a test fake a counter. The executor only
/// passes it back; it never learns a path the kernel could resolve differently.
/// A struct, so holding one allocates nothing; dispose it exactly once.
/// </summary>
public readonly struct PathHandle(ISyscalls owner, int id) : IDisposable
{
    public int Id { get; } = id;

    public void Dispose() => owner?.Close(this);

    public override string ToString() => $"#{Id}";
}

/// <summary>How ISyscalls.Resolve looks a container path up: open what is there, or make it first.</summary>
public enum Lookup
{
    /// <summary>Whatever is there (file, directory, device...).</summary>
    Existing,
    /// <summary>An existing directory.</summary>
    Directory,
    /// <summary>A directory, made with its missing parents (mkdir -p).</summary>
    MakeDirectory,
    /// <summary>A file, made empty (with its missing parent directories) if nothing is there.</summary>
    MakeFile,
}

/// <summary>What is at a path on the host (ISyscalls.KindOfHostPath).</summary>
public enum HostPathKind { Missing, Directory, Other }
