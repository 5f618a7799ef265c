using System.Globalization;
using System.Runtime.CompilerServices;
using LibContainer.Cgroups;
using LibContainer.Interop;
using LibContainer.Launch;
using LibContainer.Processes;
using LibContainer.Spec;
using LibContainer.State;
using LibContainer.Validation;

namespace LibContainer;

public sealed record CreateOptions(string Id, string Bundle)
{
    public string? PidFile { get; init; }
    public bool NoPivot { get; init; }
    public int PreserveFds { get; init; }
}

/// <summary>
/// The facade over the containers under one --root: create, start, state,
/// list, kill, delete, run. Each call is one runc command.
/// </summary>
public sealed class Containers(string root)
{
    public const string SpecVersion = "1.2.1";

    private readonly StateStore _store = new(root);

    /// <summary>Creates the container and leaves its init waiting for `start`. Returns init's PID.</summary>
    public int Create(CreateOptions options) => Create(options, startReader: null);

    /// <summary>
    /// With `startReader`, exec.fifo is opened for reading (and handed to the
    /// caller) before init starts, so init goes on to exec the process as soon
    /// as it is ready instead of waiting for `start`: that is `run`.
    /// </summary>
    private int Create(CreateOptions options, StrongBox<Fd?>? startReader)
    {
        StateStore.ValidateId(options.Id);
        if (options.PreserveFds < 0) throw new ContainerError("--preserve-fds must not be negative");
        // What is made is undone, newest first, if the create fails before the end.
        using var rollback = new Rollback();
        // Init is spawned first: it execs and starts up while the config is read
        // and the cgroup made, then waits for the bootstrap frame.
        var spawned = SpawnedInit.Spawn(rollback);
        var bundle = Path.GetFullPath(options.Bundle);
        var (spec, specJson) = SpecValidator.LoadValid(bundle); // type and validation problems in one error
        var rootfs = Path.GetFullPath(spec.Root!.Path!, bundle);
        if (!Directory.Exists(rootfs)) throw new ContainerError($"root.path: the root filesystem {rootfs} does not exist");
        var namespaced = spawned.Bootstrap(BootstrapMessage.From(spec)); // init makes its namespaces while the cgroup is made

        var layout = CgroupLayout.Detect();
        var containerLock = _store.CreateDirectory(options.Id);
        // Released after the directory is removed: a delete waiting for it finds nothing.
        rollback.Push(containerLock.Dispose);
        rollback.Push(() => _store.Remove(options.Id));
        var cgroup = CgroupManagers.ForNewContainer(layout, spec.Linux?.CgroupsPath, options.Id);
        rollback.Push(cgroup.Destroy); // only once chosen: a cgroup refused is someone else's
        var state = new ContainerState
        {
            Id = options.Id,
            Bundle = bundle,
            Rootfs = rootfs,
            Created = Timestamp.UtcNow(),
            Owner = LibC.geteuid(),
            Annotations = spec.Annotations,
            CgroupPaths = new Dictionary<string, string>(cgroup.Paths),
            CgroupDriver = cgroup.Driver,
            Creating = true,
        };
        // The first record comes before anything that could be left behind: if
        // create is killed from here on, `state` and `list` show the container and
        // `delete --force` clears its cgroups and every process in them (init dies
        // with create anyway until it is ready).
        _store.Save(state);
        // Init's C stage needs only the cgroup directories; the rest is done while it
        // forks init, and in place before init gets its config.
        cgroup.Create();
        var placed = namespaced.JoinCgroups(CgroupMessage.From(cgroup.Placement));
        var fifo = _store.FifoOf(options.Id);
        Syscall.Check(LibC.mkfifoat(AT.FDCWD, fifo, 0x192 /* 0622 */), $"mkfifo {fifo}");
        Syscall.Check(LibC.fchmodat(AT.FDCWD, fifo, 0x192, 0), $"chmod {fifo}"); // past the umask
        if (startReader is not null)
        {
            var reader = Fd.Open(fifo, O.RDONLY | O.NONBLOCK);
            startReader.Value = reader;
            rollback.Push(reader.Dispose);
        }
        // Written once init is in the cgroup, as runc does (a v1 cpuset takes it before its own limits).
        if (spec.Linux?.Resources is { } resources)
            cgroup.SetResources(resources.Devices is { Count: > 0 } ? resources with { Devices = [.. DeviceRules.Effective(spec)] } : resources);

        var config = new InitConfig
        {
            Spec = spec,
            SpecJson = specJson,
            Bundle = bundle,
            Rootfs = rootfs,
            NoPivot = options.NoPivot,
            PreserveFds = options.PreserveFds,
            FifoPath = fifo,
            CgroupMounts = CgroupMountSources(layout, cgroup),
            SeccompCacheDirectory = Security.Seccomp.SeccompCache.Under(_store.Root).Directory,
        };
        var initPid = placed.Complete(config, SeccompListener(spec, options.Id, bundle)).Pid;
        var started = ProcessProbe.Read(initPid) ?? throw new ContainerError("container init exited right after it was ready");
        _store.Save(state with { Pid = initPid, PidStartTime = started.StartTime, Created = Timestamp.UtcNow(), Creating = false });
        if (options.PidFile is { } pidFile)
            AtomicFile.Write(Path.GetFullPath(pidFile), System.Text.Encoding.ASCII.GetBytes(initPid.ToString(CultureInfo.InvariantCulture)));
        rollback.Commit();
        containerLock.Dispose();
        return initPid;
    }

    /// <summary>With SCMP_ACT_NOTIFY, what create does with init's listener: hands it to the agent at listenerPath, as runc does.</summary>
    private static Action<int, int>? SeccompListener(RuntimeSpec spec, string id, string bundle) =>
        spec.Linux?.Seccomp is { ListenerPath.Length: > 0 } seccomp
            ? (pid, listener) =>
            {
                try
                {
                    var message = Security.Seccomp.SeccompAgent.Message(SpecVersion, id, pid, bundle, spec.Annotations, seccomp.ListenerMetadata);
                    Security.Seccomp.SeccompAgent.Send(seccomp.ListenerPath, message, listener);
                }
                finally
                {
                    LibC.close(listener);
                }
            }
            : null;

    /// <summary>Releases init from exec.fifo: the user process starts.</summary>
    public void Start(string id)
    {
        using var containerLock = _store.Lock(id);
        var state = _store.Load(id);
        switch (_store.StatusOf(state, lockHeld: true))
        {
            case ContainerStatus.Stopped: throw new ContainerError("cannot start a container that has stopped");
            case ContainerStatus.Running: throw new ContainerError("cannot start an already running container");
        }
        var fifo = _store.FifoOf(id);
        // The pidfd first: once the fifo has a reader, init may exec and exit at any moment.
        using (var process = PidFd.Open(state.Pid, state.PidStartTime) ?? throw new ContainerError("cannot start a container that has stopped"))
        using (var reader = Fd.Open(fifo, O.RDONLY | O.NONBLOCK))
        {
            if (!process.WaitForReadable(reader))
                throw new ContainerError("container init exited before it could start the process");
        }
        _store.RemoveFifo(id);
    }

    public OciState State(string id)
    {
        var state = _store.Load(id);
        return ToOciState(state, _store.StatusOf(state), owner: "");
    }

    /// <summary>Every container, with its owner's user name as runc's list shows it.</summary>
    public IReadOnlyList<OciState> List()
    {
        var result = new List<OciState>();
        var users = new HostUsers();
        foreach (var id in _store.Ids())
        {
            try
            {
                var state = _store.Load(id, withCgroupPaths: false);
                result.Add(ToOciState(state, _store.StatusOf(state), users.NameOf(state.Owner)));
            }
            catch (ContainerError) { /* half-created, or removed while listing */ }
        }
        return result;
    }

    /// <summary>Host PIDs of every process in the container's cgroup, for `ps`.</summary>
    public IReadOnlyList<int> Processes(string id)
    {
        var state = _store.Load(id);
        if (_store.StatusOf(state) == ContainerStatus.Stopped) return [];
        var pids = new List<int>(CgroupManagers.FromState(state.CgroupDriver, state.CgroupPaths).Pids());
        pids.Sort();
        return pids;
    }

    /// <summary>
    /// As runc 1.1.5: with `all`, whatever is left in the cgroup gets the signal, even
    /// once init has exited (containerd's shim sends `kill --all ID 9` after every exit);
    /// without it, a stopped container is an error in runc's words, which the shim looks for.
    /// </summary>
    public void Kill(string id, int signal, bool all)
    {
        var state = _store.Load(id);
        if (all)
        {
            foreach (var pid in CgroupManagers.FromState(state.CgroupDriver, state.CgroupPaths).Pids()) LibC.kill(pid, signal);
            return;
        }
        if (_store.StatusOf(state) == ContainerStatus.Stopped) throw NotRunning();
        using var process = PidFd.Open(state.Pid, state.PidStartTime) ?? throw NotRunning();
        process.Signal(signal);

        static ContainerError NotRunning() => new("container not running");
    }

    /// <summary>
    /// New limits for a live container (`update`), as runc: a stopped one is
    /// "container not running"; what the resources leave at zero or out stays
    /// as it is; device rules are not rewritten; if a write fails, the
    /// container keeps the limits it had.
    /// </summary>
    public void Update(string id, Resources resources)
    {
        StateStore.ValidateId(id);
        using var containerLock = _store.Lock(id);
        var state = _store.Load(id);
        if (_store.StatusOf(state, lockHeld: true) == ContainerStatus.Stopped) throw new ContainerError("container not running");
        CgroupManagers.FromState(state.CgroupDriver, state.CgroupPaths).Update(resources with { Devices = null });
    }

    public void Delete(string id, bool force)
    {
        // The lock also waits for a create of this ID that is still running.
        StateStore.ValidateId(id);
        using var containerLock = _store.TryLock(id);
        if (containerLock is null)
        {
            if (force) return; // runc: --force of a container that does not exist succeeds
            throw StateStore.NotFound(id);
        }
        ContainerState? state;
        try
        {
            state = _store.TryLoad(id);
        }
        catch (ContainerError) when (force)
        {
            state = null; // a corrupt state.json: --force removes what is left of it
        }
        if (state is null)
        {
            // A create killed before its first record made nothing but the directory.
            if (!force) throw StateStore.NotFound(id);
            _store.Remove(id);
            return;
        }
        var status = _store.StatusOf(state, lockHeld: true);
        if (status == ContainerStatus.Running && !force)
            throw new ContainerError($"cannot delete container \"{id}\" that is not stopped: running (use --force)");
        _store.EnsureWritable(); // a container whose record cannot be removed keeps running
        if (status != ContainerStatus.Stopped)
            using (var process = PidFd.Open(state.Pid, state.PidStartTime))
                process?.KillAndWait();
        // Also what a killed create left: whatever is in the cgroups is killed with them.
        CgroupManagers.FromState(state.CgroupDriver, state.CgroupPaths).Destroy();
        _store.Remove(id);
    }

    /// <summary>create + start + wait + delete (unless `keep`); returns the container's exit status as a shell reports it.</summary>
    public int Run(CreateOptions options, bool keep = false, Action<int>? onStarted = null)
    {
        // Init's first parent exits right after forking it; as a subreaper we inherit init and can wait for it.
        Syscall.Check(LibC.prctl(Pr.SET_CHILD_SUBREAPER, 1, 0, 0, 0), "prctl PR_SET_CHILD_SUBREAPER");
        var startReader = new StrongBox<Fd?>();
        var pid = Create(options, startReader);
        // exec.fifo has had a reader all along, so init did not wait for `start`;
        // the reader stays open until init is gone, or init could block opening it.
        using var reader = startReader.Value;
        try
        {
            _store.RemoveFifo(options.Id);
            onStarted?.Invoke(pid);
            int status = 0;
            Syscall.Check(Syscall.Retry(() => LibC.waitpid(pid, out status, 0)), "wait for the container");
            return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
        }
        finally
        {
            if (!keep) Delete(options.Id, force: true);
        }
    }

    private static OciState ToOciState(ContainerState state, ContainerStatus status, string owner) => new()
    {
        OciVersion = SpecVersion,
        Id = state.Id,
        Pid = status == ContainerStatus.Stopped ? 0 : state.Pid,
        Status = status switch
        {
            ContainerStatus.Creating => "creating", ContainerStatus.Created => "created", ContainerStatus.Running => "running", _ => "stopped",
        },
        Bundle = state.Bundle,
        Rootfs = state.Rootfs,
        Created = state.Created,
        Owner = owner,
        Annotations = state.Annotations,
    };

    private static List<CgroupMountSource> CgroupMountSources(CgroupLayout layout, ICgroupManager cgroup)
    {
        if (layout.Mode == CgroupMode.Unified) return [new CgroupMountSource("", cgroup.Paths[""])];
        var sources = new List<CgroupMountSource>();
        foreach (var h in layout.Hierarchies)
            if (cgroup.Paths.TryGetValue(h.Key, out var hostPath))
                sources.Add(new CgroupMountSource(Path.GetFileName(h.MountPoint.TrimEnd('/')), hostPath));
        return sources;
    }
}
