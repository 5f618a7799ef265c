using LibContainer.Cgroups;
using LibContainer.Cgroups.Freezer;
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
        if (!IsValidId(id))
            throw new ContainerError($"invalid container ID \"{id}\": use letters, digits, '_', '+', '-' and '.'");
    }

    /// <summary>What a container ID may be; a directory under --root with another name is not a container (the seccomp cache's).</summary>
    public static bool IsValidId(string id)
    {
        static bool AllAllowed(string s)
        {
            foreach (var c in s)
                if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '-' or '.')) return false;
            return true;
        }
        return id.Length > 0 && AllAllowed(id) && id is not ("." or "..");
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
        // A `delete --force` of the same ID can lock the new directory first and remove it.
        return ContainerLock.TryTake(dir) ?? throw new ContainerError($"container \"{id}\" was deleted while it was being created");
    }

    /// <summary>Locks a container's directory, with or without a state.json in it; fails if there is no such directory.</summary>
    public ContainerLock Lock(string id) => TryLock(id) ?? throw NotFound(id);

    /// <summary>Locks a container's directory; null if there is none.</summary>
    public ContainerLock? TryLock(string id)
    {
        ValidateId(id);
        return ContainerLock.TryTake(DirectoryOf(id));
    }

    public static ContainerError NotFound(string id) => new($"container \"{id}\" does not exist");

    /// <summary>The container's state; `list` leaves out the cgroup paths it does not show.</summary>
    public ContainerState Load(string id, bool withCgroupPaths = true) => TryLoad(id, withCgroupPaths) ?? throw NotFound(id);

    /// <summary>The container's state, or null when its directory holds no state.json (a create that died before writing one).</summary>
    public ContainerState? TryLoad(string id, bool withCgroupPaths = true)
    {
        ValidateId(id);
        var bytes = SmallFile.TryRead(Path.Combine(DirectoryOf(id), StateFile), regular: true);
        if (bytes is null) return null;
        try
        {
            return StateJson.Read(bytes, withCgroupPaths);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new ContainerError($"container \"{id}\": state.json is corrupt; `oci-run delete --force {id}` removes it");
        }
    }

    public void Save(ContainerState state) =>
        AtomicFile.Write(Path.Combine(DirectoryOf(state.Id), StateFile),
            StateJson.Write(state));

    /// <summary>Fails unless container directories can be removed: checked before anything is killed.</summary>
    public void EnsureWritable()
    {
        const int W_OK = 2, AT_EACCESS = 0x200;
        if (LibC.faccessat(AT.FDCWD, Root, W_OK, AT_EACCESS) < 0)
            throw ContainerError.FromErrno($"--root {Root} is not writable", Syscall.LastErrno);
    }

    /// <summary>Removes exec.fifo once init is past it: from then on the container is running.</summary>
    public void RemoveFifo(string id)
    {
        var fifo = FifoOf(id);
        if (LibC.unlinkat(AT.FDCWD, fifo, 0) < 0 && Syscall.LastErrno != Errno.ENOENT)
            throw ContainerError.FromErrno($"remove {fifo}", Syscall.LastErrno);
    }

    public void Remove(string id)
    {
        // What a container directory holds, removed by name; a walk only for anything else.
        var dir = DirectoryOf(id);
        LibC.unlinkat(AT.FDCWD, Path.Combine(dir, StateFile), 0);
        LibC.unlinkat(AT.FDCWD, Path.Combine(dir, FifoName), 0);
        if (LibC.unlinkat(AT.FDCWD, dir, AT.REMOVEDIR) == 0 || Syscall.LastErrno == Errno.ENOENT) return;
        var errno = Syscall.LastErrno;
        if (errno != Errno.ENOTEMPTY) throw ContainerError.FromErrno($"remove {dir}", errno);
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ContainerError.FromIo($"remove {dir}", e);
        }
    }

    /// <summary>Names of the container directories, in name order; one without state.json fails to Load.</summary>
    public IEnumerable<string> Ids()
    {
        if (!Directory.Exists(Root)) return [];
        var ids = new List<string>();
        try
        {
            foreach (var d in Directory.EnumerateDirectories(Root))
                if (IsValidId(Path.GetFileName(d))) ids.Add(Path.GetFileName(d));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ContainerError.FromIo($"read {Root}", e);
        }
        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    /// <summary>
    /// Derives a container's status from its init process, its cgroup's
    /// freezer and exec.fifo. A record of a create in progress is `creating`
    /// while that create holds the container's lock, and stopped once it has
    /// died; a caller that holds the lock itself (`lockHeld`) knows create is
    /// over. As with runc, a live container whose cgroup is frozen (or still
    /// freezing) is paused, a created one too.
    /// </summary>
    public ContainerStatus StatusOf(ContainerState state, bool lockHeld = false)
    {
        if (state.Creating)
            return !lockHeld && ContainerLock.IsHeld(DirectoryOf(state.Id)) ? ContainerStatus.Creating : ContainerStatus.Stopped;
        if (!ProcessProbe.IsSameAlive(state.Pid, state.PidStartTime)) return ContainerStatus.Stopped;
        if (FreezerStateOf(state) != FreezerState.Thawed) return ContainerStatus.Paused;
        return File.Exists(FifoOf(state.Id)) ? ContainerStatus.Created : ContainerStatus.Running;
    }

    private FreezerState FreezerStateOf(ContainerState state)
    {
        // `list` reads records without their cgroup paths: only a live container needs them, read again here.
        var withPaths = state.CgroupPaths.Count > 0 ? state : TryLoad(state.Id) ?? state;
        if (withPaths.CgroupPaths.Count == 0) return FreezerState.Thawed;
        return CgroupManagers.FromState(withPaths.CgroupDriver, withPaths.CgroupPaths).ReadFreezerState();
    }

    private void EnsureRoot()
    {
        if (Directory.Exists(Root)) return;
        if (Path.Exists(Root)) throw new ContainerError($"--root {Root}: not a directory");
        try
        {
            Directory.CreateDirectory(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ContainerError.FromIo($"mkdir {Root}", e);
        }
    }
}

/// <summary>An exclusive flock on a container directory, released on Dispose.</summary>
public sealed class ContainerLock : IDisposable
{
    private const int LOCK_EX = 2, LOCK_NB = 4;
    private const int EWOULDBLOCK = 11;

    private readonly Fd _fd;

    private ContainerLock(Fd fd) => _fd = fd;

    /// <summary>
    /// Locks `dir`; null when there is no such directory, or when it was removed
    /// (or replaced) while we waited for the lock: whoever held it deleted the container.
    /// </summary>
    public static ContainerLock? TryTake(string dir)
    {
        var fd = LibC.open(dir, O.RDONLY | O.DIRECTORY | O.CLOEXEC, 0);
        if (fd < 0)
        {
            var errno = Syscall.LastErrno;
            if (errno is Errno.ENOENT or Errno.ENOTDIR) return null;
            throw ContainerError.FromErrno($"open {dir}", errno);
        }
        var owned = new Fd(fd);
        try
        {
            Syscall.Check(Syscall.Retry(() => LibC.flock(fd, LOCK_EX)), $"lock {dir}");
            if (!IsStillAt(owned, dir))
            {
                owned.Dispose();
                return null;
            }
            return new ContainerLock(owned);
        }
        catch
        {
            owned.Dispose();
            throw;
        }
    }

    /// <summary>True when another command holds the lock on `dir` right now.</summary>
    public static bool IsHeld(string dir)
    {
        var fd = LibC.open(dir, O.RDONLY | O.DIRECTORY | O.CLOEXEC, 0);
        if (fd < 0) return false;
        using var owned = new Fd(fd);
        return LibC.flock(fd, LOCK_EX | LOCK_NB) < 0 && Syscall.LastErrno == EWOULDBLOCK;
    }

    private static bool IsStillAt(Fd fd, string dir)
    {
        if (LibC.fstatat(fd.Value, "", out var locked, AT.EMPTY_PATH) < 0 || locked.Nlink == 0) return false;
        return LibC.fstatat(AT.FDCWD, dir, out var now, 0) == 0 && now.Dev == locked.Dev && now.Ino == locked.Ino;
    }

    public void Dispose() => _fd.Dispose();
}
