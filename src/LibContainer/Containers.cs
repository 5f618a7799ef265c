using System.Globalization;
using System.Runtime.CompilerServices;
using LibContainer.Cgroups;
using LibContainer.Hooks;
using LibContainer.Cgroups.Freezer;
using LibContainer.Cgroups.Stats;
using LibContainer.Events;
using LibContainer.Exec;
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
    /// <summary>--console-socket: where the pty's master goes for process.terminal (create, run --detach).</summary>
    public string? ConsoleSocket { get; init; }
    /// <summary>`run` in the foreground: what takes the pty's master for process.terminal (ConsoleProxy).</summary>
    public Terminal.IConsoleReceiver? Console { get; init; }
    /// <summary>--systemd-cgroup: the container's cgroup is a transient systemd scope (cgroupsPath "slice:prefix:name").</summary>
    public bool SystemdCgroup { get; init; }
    /// <summary>--pidfd-socket: where a pidfd of init goes once it runs (runc 1.2).</summary>
    public string? PidfdSocket { get; init; }
}

/// <summary>
/// The facade over the containers under one --root: create, start, state,
/// list, kill, delete, run, pause, resume, events. Each call is one runc command.
/// </summary>
/// <remarks>`warn` hears what does not fail a command but a person should know (a poststart or poststop hook that failed);
/// `debug`, when given (--debug), what runc logs at debug level (a seccomp syscall name libseccomp does not know).</remarks>
public sealed class Containers(string root, Action<string>? warn = null, Action<string>? debug = null)
{
    private readonly Action<string> _warn = warn ?? (_ => { });

    public const string SpecVersion = "1.2.1";

    private const int SIGKILL = 9;

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
        if (debug is not null && spec.Linux?.Seccomp is { } profile) // resolved here only when asked: init has no debug channel
            foreach (var name in Security.Seccomp.SeccompCompiler.UnknownSyscalls(Security.Seccomp.SeccompPlan.For(profile)))
                debug($"unknown seccomp syscall \"{name}\" ignored");
        var rootfs = Path.GetFullPath(spec.Root!.Path!, bundle);
        if (!Directory.Exists(rootfs)) throw new ContainerError($"root.path: the root filesystem {rootfs} does not exist");
        using var consoleSocket = ConsoleFor(spec.Process?.Terminal == true, detach: startReader is null, options.ConsoleSocket, options.Console, "`run`", out var console);
        using var pidfdSocket = options.PidfdSocket is { } pidfdPath ? PidfdSocket.Connect(pidfdPath) : null;
        var namespaced = spawned.Bootstrap(BootstrapMessage.From(spec), spec.Process?.OomScoreAdj); // init makes its namespaces while the cgroup is made

        var layout = CgroupLayout.Detect();
        var containerLock = _store.CreateDirectory(options.Id);
        // Released after the directory is removed: a delete waiting for it finds nothing.
        rollback.Push(containerLock.Dispose);
        rollback.Push(() => _store.Remove(options.Id));
        var cgroup = options.SystemdCgroup
            ? Cgroups.Systemd.SystemdCgroups.ForNewContainer(layout, spec.Linux?.CgroupsPath, options.Id, namespaced.Stage0Pid, _warn)
            : CgroupManagers.ForNewContainer(layout, spec.Linux?.CgroupsPath, options.Id);
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
            Poststart = spec.Hooks?.Poststart,
            Poststop = spec.Hooks?.Poststop,
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
            Id = options.Id,
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
        var hooks = spec.Hooks;
        Action<int>? runtimeHooks = hooks?.Prestart is { Count: > 0 } || hooks?.CreateRuntime is { Count: > 0 }
            ? pid =>
            {
                // In the runtime namespace, once init's namespaces and mounts exist; a failure fails create.
                var hookState = new HookState(options.Id, "creating", pid, bundle, spec.Annotations);
                HookRunner.RunAll(hooks.Prestart, "prestart", hookState);
                HookRunner.RunAll(hooks.CreateRuntime, "createRuntime", hookState);
            }
            : null;
        Action<int>? moveNetDevices = spec.Linux?.NetDevices is { Count: > 0 } netDevices ? pid => Network.NetDeviceMover.MoveAll(netDevices, pid) : null;
        var initPid = placed.Complete(config, runtimeHooks, SeccompListener(spec, options.Id, bundle), console is null ? null : console.Take, moveNetDevices).Pid;
        var started = ProcessProbe.Read(initPid) ?? throw new ContainerError("container init exited right after it was ready");
        pidfdSocket?.Send(initPid, "standard");
        _store.Save(state with { Pid = initPid, PidStartTime = started.StartTime, Created = Timestamp.UtcNow(), Creating = false });
        if (options.PidFile is { } pidFile)
            AtomicFile.Write(Path.GetFullPath(pidFile), System.Text.Encoding.ASCII.GetBytes(initPid.ToString(CultureInfo.InvariantCulture)));
        rollback.Commit();
        containerLock.Dispose();
        return initPid;
    }

    /// <summary>
    /// process.terminal: who takes the pty's master (`console`), after runc's checks: with `detach`
    /// the console socket, connected now, before anything is made (returned to be disposed); in the
    /// foreground the caller's receiver (its own terminal). Create, run and exec alike.
    /// </summary>
    private static Terminal.ConsoleSocket? ConsoleFor(bool terminal, bool detach, string? consoleSocket, Terminal.IConsoleReceiver? foreground,
        string who, out Terminal.IConsoleReceiver? console)
    {
        Terminal.TerminalRules.Check(terminal, detach, consoleSocket);
        console = null;
        if (!terminal) return null;
        if (detach)
        {
            var socket = Terminal.ConsoleSocket.Connect(consoleSocket!);
            console = socket;
            return socket;
        }
        console = foreground ?? throw new ContainerError($"process.terminal: {who} in the foreground was given nothing to attach the pty to");
        return null;
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
            case ContainerStatus.Paused: throw new ContainerError("cannot start a container in the paused state: `oci-run resume` it first");
        }
        var fifo = _store.FifoOf(id);
        // The pidfd first: once the fifo has a reader, init may exec and exit at any moment.
        using (var process = PidFd.Open(state.Pid, state.PidStartTime) ?? throw new ContainerError("cannot start a container that has stopped"))
        using (var reader = Fd.Open(fifo, O.RDONLY | O.NONBLOCK))
        {
            var first = process.WaitForByte(reader);
            if (first < 0) throw new ContainerError("container init exited before it could start the process");
            if (first == 'E') throw new ContainerError(ReadRest(reader)); // a startContainer hook failed
        }
        _store.RemoveFifo(id);
        RunPoststart(state, state.Pid);
    }

    private void RunPoststart(ContainerState state, int pid) =>
        HookRunner.RunAllWarning(state.Poststart, "poststart", new HookState(state.Id, "running", pid, state.Bundle, state.Annotations), _warn);

    // What init wrote to exec.fifo after its first byte, until it closed it.
    private static unsafe string ReadRest(Fd reader)
    {
        var text = new System.Text.StringBuilder();
        var buffer = stackalloc byte[1024];
        while (true)
        {
            var pfd = new PollFd { Fd = reader.Value, Events = 1 };
            if (LibC.poll(&pfd, 1, 5000) <= 0) break;
            var n = LibC.read(reader.Value, buffer, 1024);
            if (n <= 0) break;
            text.Append(System.Text.Encoding.UTF8.GetString(buffer, (int)n));
        }
        return text.Length > 0 ? text.ToString() : "a startContainer hook failed";
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
    /// SIGKILL to a paused container's init thaws the cgroup, since a frozen process dies
    /// only once thawed; any other signal waits for `resume`.
    /// </summary>
    public void Kill(string id, int signal, bool all)
    {
        using var containerLock = _store.Lock(id); // kill may freeze and thaw the cgroup
        var state = _store.Load(id);
        var status = _store.StatusOf(state, lockHeld: true);
        var cgroup = CgroupManagers.FromState(state.CgroupDriver, state.CgroupPaths);
        if (all)
        {
            if (status == ContainerStatus.Stopped && !cgroup.Exists()) return;
            SignalAll(cgroup, signal);
            return;
        }
        if (status == ContainerStatus.Stopped) throw NotRunning();
        using var process = PidFd.Open(state.Pid, state.PidStartTime) ?? throw NotRunning();
        process.Signal(signal);
        if (status == ContainerStatus.Paused && signal == SIGKILL) cgroup.Thaw();

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

    /// <summary>
    /// runc 1.1.5's kill --all: the cgroup is frozen while the signal goes out, so
    /// nothing forks past it, and thawed afterwards, which resumes a paused container
    /// too. Without a freezer the signal goes out all the same.
    /// </summary>
    private static void SignalAll(ICgroupManager cgroup, int signal)
    {
        var frozen = true;
        try { cgroup.Freeze(); }
        catch (ContainerError) { frozen = false; /* no freezer, or it would not freeze (and was thawed): signal anyway */ }
        try
        {
            foreach (var pid in cgroup.Pids()) LibC.kill(pid, signal);
        }
        finally
        {
            if (frozen) cgroup.Thaw();
        }
    }

    /// <summary>Freezes a created or running container's processes (runc's words when it is neither).</summary>
    public void Pause(string id)
    {
        using var containerLock = _store.Lock(id);
        var state = _store.Load(id);
        switch (_store.StatusOf(state, lockHeld: true))
        {
            case ContainerStatus.Created or ContainerStatus.Running:
                CgroupManagers.FromState(state.CgroupDriver, state.CgroupPaths).Freeze();
                return;
            case ContainerStatus.Paused:
                throw new ContainerError("container not running: it is paused already");
            default:
                throw new ContainerError("container not running");
        }
    }

    /// <summary>Thaws a paused container (runc's words when it is not paused).</summary>
    public void Resume(string id)
    {
        using var containerLock = _store.Lock(id);
        var state = _store.Load(id);
        if (_store.StatusOf(state, lockHeld: true) != ContainerStatus.Paused) throw new ContainerError("container not paused");
        CgroupManagers.FromState(state.CgroupDriver, state.CgroupPaths).Thaw();
    }

    /// <summary>`events --stats`: what the container's cgroup files say now.</summary>
    public CgroupStats Stats(string id)
    {
        var state = _store.Load(id);
        if (_store.StatusOf(state) == ContainerStatus.Stopped) throw NotRunning(id);
        return CgroupManagers.FromState(state.CgroupDriver, state.CgroupPaths).Stats();
    }

    /// <summary>
    /// `events`: stats every `interval` and OOM events, until the container stops
    /// (EventStream says how). A stopped container is an error, in runc's words.
    /// </summary>
    public IEnumerable<ContainerEvent> Events(string id, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        var state = _store.Load(id);
        if (_store.StatusOf(state) == ContainerStatus.Stopped) throw NotRunning(id);
        var init = PidFd.Open(state.Pid, state.PidStartTime) ?? throw NotRunning(id);
        return EventStream.Of(id, CgroupManagers.FromState(state.CgroupDriver, state.CgroupPaths), init, interval);
    }

    private static ContainerError NotRunning(string id) => new($"container with id {id} is not running");

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
        if (status is ContainerStatus.Running or ContainerStatus.Paused && !force)
            throw new ContainerError($"cannot delete container \"{id}\" that is not stopped: {StatusName(status)} (use --force)");
        _store.EnsureWritable(); // a container whose record cannot be removed keeps running
        var cgroup = CgroupManagers.FromState(state.CgroupDriver, state.CgroupPaths);
        using (var process = status == ContainerStatus.Stopped ? null : PidFd.Open(state.Pid, state.PidStartTime))
        {
            process?.Kill();
            // A frozen process dies only once thawed (v1): everything is sent SIGKILL first, so
            // nothing runs its own code after the thaw. runc thaws a paused container the same way.
            if (cgroup.ReadFreezerState() != FreezerState.Thawed)
            {
                foreach (var pid in cgroup.Pids()) LibC.kill(pid, SIGKILL);
                cgroup.Thaw();
            }
            process?.WaitUntilKilled();
        }
        // Also what a killed create left: whatever is in the cgroups is killed with them.
        CgroupManagers.FromState(state.CgroupDriver, state.CgroupPaths).Destroy();
        HookRunner.RunAllWarning(state.Poststop, "poststop", new HookState(id, "stopped", 0, state.Bundle, state.Annotations), _warn);
        cgroup.Destroy();
        _store.Remove(id);
    }

    /// <summary>
    /// Runs a new process in a created or running container, as runc's exec:
    /// it joins the container's namespaces and cgroups and gets its seccomp
    /// filter, rlimits, capabilities and no_new_privs unless the request says
    /// otherwise. Detached, returns 0 once the process runs; else waits and
    /// returns its exit status as a shell reports it. `onStarted` hears its PID.
    /// </summary>
    public int Exec(ExecRequest request, Action<int>? onStarted = null)
    {
        StateStore.ValidateId(request.Id);
        var subCgroups = SubCgroups.Parse(request.SubCgroups);
        if (request.PreserveFds < 0) throw new ContainerError("--preserve-fds must not be negative");
        int pid;
        using (var containerLock = _store.Lock(request.Id))
        {
            var state = _store.Load(request.Id);
            switch (_store.StatusOf(state, lockHeld: true))
            {
                case ContainerStatus.Stopped: throw new ContainerError("cannot exec in a stopped container");
                case ContainerStatus.Paused when !request.IgnorePaused:
                    throw new ContainerError("cannot exec in a paused container (use --ignore-paused to override)");
            }
            // The container's own config, for its seccomp profile and, without --process, its process.
            var spec = SpecLoader.Load(state.Bundle).Spec;
            var process = ExecProcessOf(request, spec);
            using var consoleSocket = ConsoleFor(process.Terminal, request.Detach, request.ConsoleSocket, request.Console, "exec", out var console);
            using var pidfdSocket = request.PidfdSocket is { } pidfdPath ? PidfdSocket.Connect(pidfdPath) : null;
            using var init = PidFd.Open(state.Pid, state.PidStartTime) ?? throw new ContainerError("cannot exec in a stopped container");
            int lastCap;
            using (var hostProc = ProcFs.OpenHost()) lastCap = Security.Capabilities.LastCap(hostProc);
            var seccomp = spec.Linux?.Seccomp is { } profile
                ? new Security.Seccomp.SeccompCache(Security.Seccomp.SeccompCache.Under(_store.Root).Directory).GetOrCompile(Security.Seccomp.SeccompPlan.For(profile))
                : null;
            // The container's execution domain is the process's too (runc 1.2's exec sets it as well).
            var config = new ExecConfig(process, request.PreserveFds, lastCap, seccomp, Kernel.ExecutionDomain.ValueOf(spec.Linux?.Personality?.Domain),
                Kernel.MemoryPolicyPlan.For(spec.Linux?.MemoryPolicy));
            // A sub-cgroup asked for is where the process goes; else init's cgroup (see ExecPlacement).
            var placement = subCgroups.Count > 0
                ? CgroupManagers.FromPaths(SubCgroups.Apply(state.CgroupPaths, subCgroups, Directory.Exists)).Placement
                : ExecPlacement(CgroupManagers.FromState(state.CgroupDriver, state.CgroupPaths).Placement, state.Pid);

            using var rollback = new Rollback();
            var spawned = SpawnedInit.Spawn(rollback);
            var placed = spawned.Bootstrap(new BootstrapMessage(0, ContainerNamespaces.Of(state.Pid))).JoinCgroups(CgroupMessage.From(placement));
            pid = placed.CompleteExec(config, SeccompListener(spec, request.Id, state.Bundle), console is null ? null : console.Take);
            pidfdSocket?.Send(pid, "setns");
            if (request.PidFile is { } pidFile)
                AtomicFile.Write(Path.GetFullPath(pidFile), System.Text.Encoding.ASCII.GetBytes(pid.ToString(CultureInfo.InvariantCulture)));
            rollback.Commit();
        }
        if (request.Detach) return 0;
        onStarted?.Invoke(pid);
        int status = 0;
        Syscall.Check(Syscall.Retry(() => LibC.waitpid(pid, out status, 0)), "wait for the process");
        return AsShellStatus(status);
    }

    /// <summary>
    /// Where an exec's process goes in cgroup v2: init's own cgroup, which is the container's unless
    /// something inside moved init (systemd in the container makes the container's cgroup an inner
    /// node, which takes no process: the kernel answers EBUSY). runc 1.1 falls back to init's cgroup
    /// too. Read from /proc/PID/cgroup in the host's cgroup namespace; the container's directory
    /// when that cannot be read.
    /// </summary>
    private static CgroupPlacement ExecPlacement(CgroupPlacement container, int initPid)
    {
        if (container.V2Directory is not { } directory) return container;
        var layout = CgroupLayout.Detect();
        Hierarchy? unified = null;
        foreach (var h in layout.Hierarchies) if (h.IsV2) unified = h;
        string? initPath = null;
        foreach (var line in (SmallFile.TryReadText($"/proc/{initPid}/cgroup") ?? "").Split('\n'))
            if (line.StartsWith("0::", StringComparison.Ordinal)) initPath = line[3..];
        if (unified is null || string.IsNullOrEmpty(initPath)) return container;
        var initDirectory = layout.HostDirectory(unified, initPath);
        // Only below the container's directory: init cannot have left it, and a path read from a
        // process inside the container is not trusted to lead anywhere else.
        return initDirectory == directory || initDirectory.StartsWith(directory + "/", StringComparison.Ordinal)
            ? container with { V2Directory = initDirectory }
            : container;
    }

    /// <summary>The process file as it is, or config.json's process changed as the request says; checked either way.</summary>
    private static Spec.Process ExecProcessOf(ExecRequest request, RuntimeSpec spec)
    {
        if (request.ProcessFile is { } file)
        {
            var fromFile = SpecLoader.LoadProcess(file);
            SpecValidator.ValidateProcess(fromFile, file);
            return fromFile;
        }
        if (request.Args.Count == 0) throw new ContainerError("process args cannot be empty");
        var process = ExecProcess.For(spec.Process ?? throw new ContainerError("config.json: process: missing"), request);
        SpecValidator.ValidateProcess(process, "exec");
        return process;
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
            RunPoststart(_store.Load(options.Id), pid);
            onStarted?.Invoke(pid);
            int status = 0;
            Syscall.Check(Syscall.Retry(() => LibC.waitpid(pid, out status, 0)), "wait for the container");
            // A failed startContainer hook: init wrote its reason to exec.fifo instead of "0".
            if (reader is not null && ReadRest(reader) is ['E', .. var message]) throw new ContainerError(message);
            return AsShellStatus(status);
        }
        finally
        {
            if (!keep) Delete(options.Id, force: true);
        }
    }

    /// <summary>A wait status as a shell reports it: the exit code, or 128 plus the signal.</summary>
    private static int AsShellStatus(int status) => (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);

    private static OciState ToOciState(ContainerState state, ContainerStatus status, string owner) => new()
    {
        OciVersion = SpecVersion,
        Id = state.Id,
        Pid = status == ContainerStatus.Stopped ? 0 : state.Pid,
        Status = StatusName(status),
        Bundle = state.Bundle,
        Rootfs = state.Rootfs,
        Created = state.Created,
        Owner = owner,
        Annotations = state.Annotations,
    };

    private static string StatusName(ContainerStatus status) => status switch
    {
        ContainerStatus.Creating => "creating",
        ContainerStatus.Created => "created",
        ContainerStatus.Running => "running",
        ContainerStatus.Paused => "paused",
        _ => "stopped",
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
