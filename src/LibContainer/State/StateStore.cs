using LibContainer.Interop;

namespace LibContainer.State;

/// <summary>
/// The directory under --root: one directory per container holding state.json
/// and exec.fifo. Writes are atomic (temp file + rename); a flock on the
/// container directory serializes commands that change a container.
/// </summary>
public sealed class StateStore(string root)
{
    public const string StateFile = "state.json";
    public const string FifoName = "exec.fifo";

    public string Root { get; } = root;

    public string DirectoryOf(string id) => Path.Combine(Root, id);

    public string FifoOf(string id) => Path.Combine(Root, id, FifoName);

    public static void ValidateId(string id)
    {
        static bool AllAllowed(string s)
        {
            foreach (var c in s)
                if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '-' or '.')) return false;
            return true;
        }
        if (id.Length == 0 || !AllAllowed(id) || id is "." or "..")
            throw new ContainerError($"invalid container ID \"{id}\": use letters, digits, '_', '+', '-' and '.'");
    }

    /// <summary>Makes ROOT/ID for a new container and locks it; fails if the ID is taken.</summary>
    public ContainerLock CreateDirectory(string id)
    {
        ValidateId(id);
        EnsureRoot();
        var dir = DirectoryOf(id);
        if (LibC.mkdirat(AT.FDCWD, dir, 0x1C9 /* 0711 */) < 0)
        {
            var errno = Syscall.LastErrno;
            if (errno == Errno.EEXIST) throw new ContainerError($"container \"{id}\" already exists");
            throw ContainerError.FromErrno($"create state directory {dir}", errno);
        }
        return ContainerLock.Take(dir);
    }

    /// <summary>Locks an existing container's directory; fails if there is no such container.</summary>
    public ContainerLock Lock(string id)
    {
        ValidateId(id);
        var dir = DirectoryOf(id);
        if (!File.Exists(Path.Combine(dir, StateFile))) throw NotFound(id);
        return ContainerLock.Take(dir);
    }

    public static ContainerError NotFound(string id) => new($"container \"{id}\" does not exist");

    /// <summary>The container's state; `list` leaves out the cgroup paths it does not show.</summary>
    public ContainerState Load(string id, bool withCgroupPaths = true)
    {
        ValidateId(id);
        var bytes = SmallFile.TryRead(Path.Combine(DirectoryOf(id), StateFile), regular: true) ?? throw NotFound(id);
        try
        {
            return StateJson.Read(bytes, withCgroupPaths);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new ContainerError($"container \"{id}\": state.json is corrupt ({e.Message}); `oci-run delete --force {id}` removes it");
        }
    }

    public void Save(ContainerState state) =>
        AtomicFile.Write(Path.Combine(DirectoryOf(state.Id), StateFile),
            StateJson.Write(state));

    public void Remove(string id)
    {
        // What a container directory holds, removed by name; a walk only for anything else.
        var dir = DirectoryOf(id);
        LibC.unlinkat(AT.FDCWD, Path.Combine(dir, StateFile), 0);
        LibC.unlinkat(AT.FDCWD, Path.Combine(dir, FifoName), 0);
        if (LibC.unlinkat(AT.FDCWD, dir, AT.REMOVEDIR) == 0 || Syscall.LastErrno == Errno.ENOENT) return;
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    /// <summary>Names of the container directories, in name order; one without state.json fails to Load.</summary>
    public IEnumerable<string> Ids()
    {
        if (!Directory.Exists(Root)) return [];
        var ids = new List<string>();
        foreach (var d in Directory.EnumerateDirectories(Root)) ids.Add(Path.GetFileName(d));
        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    /// <summary>Derives a container's status from its init process and exec.fifo.</summary>
    public ContainerStatus StatusOf(ContainerState state)
    {
        if (!ProcessProbe.IsSameAlive(state.Pid, state.PidStartTime)) return ContainerStatus.Stopped;
        return File.Exists(FifoOf(state.Id)) ? ContainerStatus.Created : ContainerStatus.Running;
    }

    private void EnsureRoot()
    {
        if (Directory.Exists(Root)) return;
        Directory.CreateDirectory(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}

/// <summary>An exclusive flock on a container directory, released on Dispose.</summary>
public sealed class ContainerLock : IDisposable
{
    private readonly Fd _fd;

    private ContainerLock(Fd fd) => _fd = fd;

    public static ContainerLock Take(string dir)
    {
        const int LOCK_EX = 2;
        var fd = Fd.Open(dir, O.RDONLY | O.DIRECTORY);
        Syscall.Check(Syscall.Retry(() => LibC.flock(fd.Value, LOCK_EX)), $"lock {dir}");
        return new ContainerLock(fd);
    }

    public void Dispose() => _fd.Dispose();
}
