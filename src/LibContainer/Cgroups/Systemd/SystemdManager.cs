using LibContainer.Cgroups.Freezer;
using LibContainer.Cgroups.Stats;
using LibContainer.Spec;

namespace LibContainer.Cgroups.Systemd;

/// <summary>
/// runc's systemd driver: the container's cgroup is a transient scope that
/// systemd makes and delegates (StartTransientUnit); the limits systemd has
/// properties for go through it (SetUnitProperties), and then every limit is
/// written to the scope's cgroup files by the cgroupfs manager for those paths
/// (`inner`), as runc does. Pause, stats, ps and kill read the files alone, so
/// only create, update and delete talk to systemd.
/// </summary>
public sealed class SystemdManager : ICgroupManager
{
    public const string DriverName = "systemd";

    private readonly string _unit;
    private readonly ICgroupManager _inner;
    private readonly bool _v2;
    private readonly Func<ISystemdBus> _connect;
    private readonly Action<string> _warn;
    private readonly Func<int, SystemdFacts> _facts;
    // A new container's: the start properties, and whether the unit is ours to stop.
    private readonly SystemdPath? _path;
    private readonly int _pid;
    private bool _owned;
    private ISystemdBus? _bus;

    /// <summary>A new container's unit, to be started with `pid` in it.</summary>
    public SystemdManager(SystemdPath path, ICgroupManager inner, bool v2, int pid, Func<ISystemdBus> connect, Action<string>? warn = null, Func<int, SystemdFacts>? facts = null)
        : this(path.UnitName, inner, v2, connect, warn, facts)
    {
        _path = path;
        _pid = pid;
        _owned = false; // until StartTransientUnit makes it: a unit that already exists is someone else's
    }

    /// <summary>An existing container's unit, from its state.</summary>
    public SystemdManager(string unit, ICgroupManager inner, bool v2, Func<ISystemdBus> connect, Action<string>? warn = null, Func<int, SystemdFacts>? facts = null)
    {
        _unit = unit;
        _inner = inner;
        _v2 = v2;
        _connect = connect;
        _warn = warn ?? (_ => { });
        _facts = facts ?? SystemdFacts.OfHost;
        _owned = true;
    }

    public string Driver => DriverName;

    public string UnitName => _unit;

    public IReadOnlyDictionary<string, string> Paths => _inner.Paths;

    public CgroupPlacement Placement => _inner.Placement;

    private ISystemdBus Bus => _bus ??= _connect();

    /// <summary>
    /// Starts the scope with init's C stage in it, then makes the cgroups systemd
    /// does not (v1 hierarchies it does not manage). Order: the C stage (already
    /// spawned, waiting for its cgroup frame) is the PID systemd moves into the
    /// new scope; init and everything it forks are its children and so born
    /// there. The C stage then joins the same directories itself, which is a
    /// no-op where systemd put it and places it where systemd did not.
    /// </summary>
    public void Create()
    {
        if (_path is null) throw new InvalidOperationException("only a new container's unit is created");
        if (Bus.StartTransientUnit(_unit, UnitPlan.Start(_path, _pid, _v2)) is { } error)
        {
            if (error.Name == BusError.UnitExists)
                throw new ContainerError($"linux.cgroupsPath: the systemd unit {_unit} already exists: give the container another name (slice:prefix:name)");
            Bus.ResetFailedUnit(_unit); // a failed start leaves a failed unit behind
            throw new ContainerError($"creating the systemd unit {_unit}: {error.Message} ({error.Name})");
        }
        _owned = true;
        _inner.Create();
    }

    public void SetResources(Resources? resources)
    {
        if (resources is null) return;
        SetProperties(Plan(resources));
        _inner.SetResources(resources);
    }

    /// <summary>
    /// The properties, then the files. When systemd or a file refuses a value,
    /// the unit gets back the values it had (the files restore themselves):
    /// systemd rewrites its cgroups from its properties, and would otherwise
    /// bring back a limit that update did not make.
    /// </summary>
    public void Update(Resources resources)
    {
        var planned = Plan(resources);
        var before = planned.Count == 0 ? [] : Bus.ReadUnitProperties(_unit, UnitPlan.PropertiesOf(planned));
        try
        {
            SetProperties(planned);
            _inner.Update(resources);
        }
        catch (ContainerError)
        {
            // Best effort: the error worth reporting is the first one.
            if (before.Count > 0) Bus.SetUnitProperties(_unit, before);
            throw;
        }
    }

    private IReadOnlyList<PlannedProperty> Plan(Resources resources) => UnitPlan.PlannedResources(resources, _v2, _facts(Bus.Version), _warn);

    private void SetProperties(IReadOnlyList<PlannedProperty> planned)
    {
        if (planned.Count == 0) return;
        if (Bus.SetUnitProperties(_unit, UnitPlan.PropertiesOf(planned)) is { } error)
            throw new ContainerError($"{FieldsNamedIn(error.Message, planned)}: systemd refused the unit {_unit}'s properties: {error.Message} ({error.Name})");
    }

    /// <summary>The config fields behind the properties an error names (all sent, when it names none).</summary>
    internal static string FieldsNamedIn(string message, IReadOnlyList<PlannedProperty> planned)
    {
        var named = new List<string>();
        var all = new List<string>();
        foreach (var p in planned)
        {
            if (!all.Contains(p.Field)) all.Add(p.Field);
            if (message.Contains(p.Property.Name, StringComparison.Ordinal) && !named.Contains(p.Field)) named.Add(p.Field);
        }
        return string.Join(", ", named.Count > 0 ? named : all);
    }

    public IReadOnlyList<int> Pids() => _inner.Pids();

    /// <summary>
    /// Kills what is left and removes the cgroups first, then stops the unit
    /// (gone already when its last process died): a stop with processes inside
    /// would have systemd wait for them after SIGTERM.
    /// </summary>
    public void Destroy()
    {
        if (!_owned) return; // a unit this create did not make is left alone
        ContainerError? failed = null;
        try { _inner.Destroy(); }
        catch (ContainerError e) { failed = e; }
        var stop = Bus.StopUnit(_unit);
        Bus.ResetFailedUnit(_unit);
        if (failed is not null) throw failed;
        if (stop is not null && stop.Name != BusError.NoSuchUnit)
            throw new ContainerError($"stopping the systemd unit {_unit}: {stop.Message} ({stop.Name})");
    }

    public bool Exists() => _inner.Exists();

    public void Freeze() => _inner.Freeze();

    public void Thaw() => _inner.Thaw();

    public FreezerState ReadFreezerState() => _inner.ReadFreezerState();

    public CgroupStats Stats() => _inner.Stats();

    public ulong OomKillCount() => _inner.OomKillCount();
}
