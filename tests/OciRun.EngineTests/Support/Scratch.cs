namespace OciRun.EngineTests.Support;

/// <summary>
/// One engine's private world: a temp dir for its roots, state and sockets, and
/// everything it must undo. Dispose tears it all down in the order that works
/// (containers through the engine, daemons by PID, leftover shims and
/// processes, runtime state, mounts, cgroups, files the engines write outside
/// the temp dir that were not there before), each step carrying on past errors.
/// </summary>
public sealed class Scratch : IDisposable
{
    // Cgroups the engines' parents make at each hierarchy's root (only new ones are removed).
    private static readonly string[] EngineCgroups = ["default", "k8s.io", "moby", "docker", "libpod_parent"];

    // Written by the engines whatever their flags (only new ones are removed, emptiest last).
    private static readonly string[] HostFiles = ["/etc/docker/key.json"];
    private static readonly string[] HostDirs = ["/run/docker/plugins", "/run/docker", "/run/containerd/s", "/run/containerd/fifo", "/run/containerd", "/run/containers/networks", "/run/containers"];
    private const string ContainersStorage = "/var/lib/containers";
    private const string ContainersCache = "/var/lib/containers/cache";

    private readonly HashSet<string> existed;
    private readonly List<int> daemons = [];
    private readonly List<Action> engineRemovals = [];
    private readonly List<(string Binary, string Root)> runtimeRoots = [];
    private readonly List<string> cgroupsUnderOwn = [];
    private readonly List<string> shimAddresses = [];

    public string Dir { get; }

    private const string Prefix = "oe-";
    private const string OwnerFile = "owner";

    public Scratch(string name)
    {
        SweepAbandoned();
        existed = Snapshot();
        // Short: containerd's socket path must fit a sockaddr_un.
        Dir = Directory.CreateTempSubdirectory($"{Prefix}{name}-").FullName;
        MarkOwned(Dir);
    }

    /// <summary>Marks a temp dir as this process's, so a later run removes it if this one dies first.</summary>
    public static void MarkOwned(string dir) => File.WriteAllText(System.IO.Path.Combine(dir, OwnerFile), Owner(Environment.ProcessId));

    // "PID start-time" of a process, which no later process with the same PID shares.
    private static string Owner(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return $"{pid} {stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19]}";
        }
        catch (IOException) { return ""; }
    }

    /// <summary>
    /// What a test run killed before its teardown (a hang timeout, a SIGKILL) left:
    /// scratch dirs whose owner is gone. Their daemons, shims and conmons name the
    /// dir, so they are killed by it; then their runtime state, mounts and the dir go.
    /// </summary>
    private static void SweepAbandoned()
    {
        foreach (var dir in Directory.EnumerateDirectories(System.IO.Path.GetTempPath(), Prefix + "*-*"))
        {
            var ownerFile = System.IO.Path.Combine(dir, OwnerFile);
            string owner;
            try { owner = File.ReadAllText(ownerFile); }
            catch (IOException) { continue; }
            if (!int.TryParse(owner.Split(' ')[0], out var pid) || Owner(pid) == owner) continue;
            Console.Error.WriteLine($"removing {dir}, left by an earlier test run (process {pid} is gone)");
            // Everything on the machine now counts as existing before: only the dir's own things go.
            var abandoned = new Scratch(dir, Snapshot());
            // The runtime roots: rr-* (ctr, CRI with a namespace below, podman) and dockerd's.
            var roots = Directory.EnumerateDirectories(dir, "rr-*").SelectMany(r => Directory.EnumerateDirectories(r).Prepend(r))
                .Append(System.IO.Path.Combine(dir, "run", "runtime-runc", "moby")).ToList();
            foreach (var runtime in new[] { Runtimes.OciRun, Runtimes.Runc })
                if (Runtimes.Installed(runtime) is { } binary)
                    foreach (var root in roots) abandoned.AddRuntimeRoot(binary, root);
            abandoned.AddShimAddress(System.IO.Path.Combine(dir, "containerd.sock"));
            abandoned.Dispose();
        }
    }

    private Scratch(string dir, HashSet<string> existed) => (Dir, this.existed) = (dir, existed);

    public string Path(params string[] parts) => System.IO.Path.Combine([Dir, .. parts]);

    public string MakeDir(params string[] parts) => Directory.CreateDirectory(Path(parts)).FullName;

    /// <summary>A daemon this fixture started: SIGTERM, then SIGKILL, in reverse order of start.</summary>
    public void AddDaemon(int pid) => daemons.Add(pid);

    /// <summary>Removes the engine's containers through the engine, first of all.</summary>
    public void OnTeardown(Action removeContainers) => engineRemovals.Add(removeContainers);

    /// <summary>A runtime root whose leftover containers are force-deleted with that runtime.</summary>
    public void AddRuntimeRoot(string binary, string root) => runtimeRoots.Add((binary, root));

    /// <summary>A cgroup nested under this process's own cgroup in every hierarchy (CRI's relative cgroup_parent).</summary>
    public void AddCgroupUnderOwn(string relative) => cgroupsUnderOwn.Add(relative);

    /// <summary>containerd's address: its shims outlive it and ignore SIGTERM, so they are found and killed by it.</summary>
    public void AddShimAddress(string address) => shimAddresses.Add(address);

    public void Dispose()
    {
        foreach (var remove in engineRemovals) Try(remove);
        for (var i = daemons.Count - 1; i >= 0; i--) { var pid = daemons[i]; Try(() => Host.Stop(pid)); }
        Try(KillShims);
        Try(KillWhatNamesDir);
        foreach (var (binary, root) in runtimeRoots) Try(() => DeleteLeftovers(binary, root));
        foreach (var mount in Host.MountsUnder(Dir)) Try(() => Host.Unmount(mount));
        Try(RemoveCgroups);
        Try(RemoveHostFiles);
        Try(() => Directory.Delete(Dir, recursive: true));
    }

    private void KillShims()
    {
        var shims = Host.Processes().Where(p => shimAddresses.Any(a => HasFlag(p.Argv, "-address", a))).ToList();
        foreach (var (pid, _) in shims) Host.Signal(pid, 9);
        foreach (var (pid, _) in shims) for (var i = 0; i < 50 && Host.IsAlive(pid); i++) Thread.Sleep(100);
        foreach (var (_, argv) in shims)
        {
            var address = Value(argv, "-address"); var ns = Value(argv, "-namespace"); var id = Value(argv, "-id");
            if (address is not null && ns is not null && id is not null)
            {
                var socket = Host.ShimSocket(address, ns, id);
                if (!existed.Contains(socket)) File.Delete(socket);
            }
        }
    }

    // conmon, a stuck ctr or docker client: anything whose argv names this dir.
    private void KillWhatNamesDir()
    {
        var self = Environment.ProcessId;
        var left = Host.Processes().Where(p => p.Pid != self && p.Argv.Any(a => a.Contains(Dir))).ToList();
        foreach (var (pid, _) in left) Host.Signal(pid, 9);
        foreach (var (pid, _) in left) for (var i = 0; i < 50 && Host.IsAlive(pid); i++) Thread.Sleep(100);
    }

    private static void DeleteLeftovers(string binary, string root)
    {
        if (!Directory.Exists(root)) return;
        var ids = Command.Run(binary, ["--root", root, "list", "-q"], timeoutSeconds: 30).Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var id in ids) Command.Run(binary, ["--root", root, "delete", "-f", id], timeoutSeconds: 30);
    }

    private void RemoveCgroups()
    {
        foreach (var hierarchy in Host.CgroupHierarchies())
        {
            foreach (var name in EngineCgroups)
            {
                var dir = System.IO.Path.Combine(hierarchy, name);
                if (!existed.Contains(dir)) Host.RemoveCgroupTree(dir);
            }
            var own = Host.OwnCgroup(hierarchy);
            if (own is null) continue;
            foreach (var relative in cgroupsUnderOwn) Host.RemoveCgroupTree(System.IO.Path.Join(hierarchy, own, relative));
        }
        // podman writes libpod_parent/conmon/tasks as plain files where a controller is
        // not mounted: in the tmpfs that holds a v1 host's hierarchies.
        var mounts = Host.CgroupHierarchies().ToHashSet();
        if (Directory.Exists("/sys/fs/cgroup") && !mounts.Contains("/sys/fs/cgroup"))
            foreach (var entry in Directory.EnumerateFileSystemEntries("/sys/fs/cgroup"))
                if (!existed.Contains(entry) && !mounts.Contains(entry) && !Host.MountsUnder(entry).Any())
                    Try(() => Directory.Delete(entry, recursive: true));
    }

    private void RemoveHostFiles()
    {
        foreach (var file in HostFiles) if (!existed.Contains(file)) Try(() => File.Delete(file));
        // podman's cache, in the host's storage whatever --root says.
        if (!existed.Contains(ContainersCache)) Try(() => { if (Directory.Exists(ContainersCache)) Directory.Delete(ContainersCache, true); });
        if (!existed.Contains(ContainersStorage)) Try(() => { if (Directory.Exists(ContainersStorage)) Directory.Delete(ContainersStorage, true); });
        foreach (var dir in HostDirs)
            if (!existed.Contains(dir) && Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any())
                Try(() => Directory.Delete(dir));
    }

    private static HashSet<string> Snapshot()
    {
        var paths = new HashSet<string>();
        foreach (var p in HostFiles.Concat(HostDirs).Append(ContainersStorage).Append(ContainersCache)) if (Exists(p)) paths.Add(p);
        if (Directory.Exists("/run/containerd/s")) paths.UnionWith(Directory.EnumerateFileSystemEntries("/run/containerd/s"));
        foreach (var hierarchy in Host.CgroupHierarchies())
            foreach (var name in EngineCgroups)
                if (Directory.Exists(System.IO.Path.Combine(hierarchy, name))) paths.Add(System.IO.Path.Combine(hierarchy, name));
        if (Directory.Exists("/sys/fs/cgroup")) paths.UnionWith(Directory.EnumerateFileSystemEntries("/sys/fs/cgroup"));
        return paths;
    }

    private static bool Exists(string p) => File.Exists(p) || Directory.Exists(p);

    private static bool HasFlag(string[] argv, string flag, string value) => Value(argv, flag) == value;

    private static string? Value(string[] argv, string flag)
    {
        var i = Array.IndexOf(argv, flag);
        return i >= 0 && i + 1 < argv.Length ? argv[i + 1] : null;
    }

    private static void Try(Action step)
    {
        try { step(); }
        catch (Exception e) { Console.Error.WriteLine($"teardown step failed (carrying on): {e.Message}"); }
    }
}
