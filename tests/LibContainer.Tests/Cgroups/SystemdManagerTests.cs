using LibContainer;
using LibContainer.Cgroups;
using LibContainer.Cgroups.Freezer;
using LibContainer.Cgroups.Stats;
using LibContainer.Cgroups.Systemd;
using LibContainer.Spec;

namespace LibContainer.Tests.Cgroups;

/// <summary>The driver's calls to systemd and to the cgroupfs manager, through a fake bus and a recording manager.</summary>
public sealed class SystemdManagerTests
{
    private sealed class FakeBus : ISystemdBus
    {
        public List<string> Calls { get; } = [];
        public Dictionary<string, BusError> Errors { get; } = [];
        public int Version => 252;

        private BusError? Record(string call, string unit, IReadOnlyList<UnitProperty>? properties = null)
        {
            Calls.Add(properties is null ? $"{call} {unit}" : $"{call} {unit} {string.Join("; ", properties)}");
            return Errors.GetValueOrDefault(call);
        }

        public BusError? StartTransientUnit(string name, IReadOnlyList<UnitProperty> properties) => Record("Start", name, properties);
        public BusError? SetUnitProperties(string name, IReadOnlyList<UnitProperty> properties) => Record("Set", name, properties);
        public IReadOnlyList<UnitProperty> ReadUnitProperties(string name, IReadOnlyList<UnitProperty> properties)
        {
            Record("Read", name, properties);
            return [.. properties.Where(p => Current.ContainsKey(p.Name)).Select(p => new UnitProperty(p.Name, Current[p.Name]))];
        }

        // What ReadUnitProperties answers: the unit's values before a change.
        public Dictionary<string, UnitValue> Current { get; } = [];

        public BusError? StopUnit(string name) => Record("Stop", name);
        public BusError? ResetFailedUnit(string name) => Record("ResetFailed", name);
        public void Dispose() { }
    }

    private sealed class RecordingManager(List<string> calls, string? refuseUpdate = null) : ICgroupManager
    {
        public string Driver => "recording";
        public IReadOnlyDictionary<string, string> Paths { get; } = new Dictionary<string, string> { ["memory"] = "/m/system.slice/p-n.scope" };
        public CgroupPlacement Placement => new([], null);
        public void Create() => calls.Add("files: create");
        public void SetResources(Resources? resources) => calls.Add("files: set");
        public void Update(Resources resources)
        {
            calls.Add("files: update");
            if (refuseUpdate is not null) throw new ContainerError(refuseUpdate);
        }
        public IReadOnlyList<int> Pids() => [];
        public void Destroy() => calls.Add("files: destroy");
        public bool Exists() => true;
        public void Freeze() => calls.Add("files: freeze");
        public void Thaw() => calls.Add("files: thaw");
        public FreezerState ReadFreezerState() => FreezerState.Thawed;
        public CgroupStats Stats() => throw new NotSupportedException();
        public ulong OomKillCount() => 0;
    }

    private readonly FakeBus _bus = new();

    private SystemdManager NewContainer(bool v2 = false) =>
        new(SystemdPath.Parse("system.slice:p:n", "c1"), new RecordingManager(_bus.Calls), v2, 4242, () => _bus, facts: v => new SystemdFacts(v, "", _ => true));

    private static readonly Resources Memory = new() { Memory = new() { Limit = 1 << 20 }, Pids = new() { Limit = 10 } };

    [Fact]
    public void Create_starts_the_scope_with_the_c_stages_pid_then_makes_the_other_cgroups()
    {
        var manager = NewContainer();
        manager.Create();
        manager.SetResources(Memory);
        _bus.Calls.Should().HaveCount(4);
        _bus.Calls[0].Should().StartWith("Start p-n.scope Description=").And.Contain("PIDs=au [4242]").And.Contain("Delegate=b true");
        _bus.Calls[1].Should().Be("files: create");
        _bus.Calls[2].Should().Be("Set p-n.scope MemoryLimit=t 1048576; TasksMax=t 10");
        _bus.Calls[3].Should().Be("files: set");
        manager.Driver.Should().Be("systemd");
    }

    [Fact]
    public void A_unit_that_exists_is_refused_and_left_alone()
    {
        _bus.Errors["Start"] = new(BusError.UnitExists, "Unit p-n.scope already exists.");
        var manager = NewContainer();
        var act = manager.Create;
        act.Should().Throw<ContainerError>().WithMessage("linux.cgroupsPath: the systemd unit p-n.scope already exists*");
        manager.Destroy(); // create's rollback: someone else's unit is not stopped
        _bus.Calls.Should().ContainSingle().Which.Should().StartWith("Start");
    }

    [Fact]
    public void A_failed_start_resets_the_failed_unit_and_says_what_systemd_said()
    {
        _bus.Errors["Start"] = new(BusError.JobFailed, "the job ended \"failed\", not \"done\"");
        var act = NewContainer().Create;
        act.Should().Throw<ContainerError>().WithMessage("creating the systemd unit p-n.scope: the job ended \"failed\"*");
        _bus.Calls.Should().Equal(_bus.Calls[0], "ResetFailed p-n.scope");
    }

    [Fact]
    public void A_property_systemd_rejects_names_the_config_field_and_writes_no_file()
    {
        _bus.Errors["Set"] = new(BusError.InvalidArgs, "Cannot set property TasksMax, or unknown property.");
        var manager = NewContainer();
        manager.Create();
        var act = () => manager.SetResources(Memory);
        act.Should().Throw<ContainerError>().WithMessage("linux.resources.pids.limit: systemd refused the unit p-n.scope's properties: Cannot set property TasksMax*");
        _bus.Calls.Should().NotContain("files: set");
    }

    [Fact]
    public void Update_reads_what_it_changes_then_sets_the_properties_then_the_files()
    {
        var manager = new SystemdManager("p-n.scope", new RecordingManager(_bus.Calls), v2: true, () => _bus, facts: v => new SystemdFacts(v, "", _ => true));
        manager.Update(Memory);
        _bus.Calls.Should().Equal("Read p-n.scope MemoryMax=t 1048576; TasksMax=t 10", "Set p-n.scope MemoryMax=t 1048576; TasksMax=t 10", "files: update");
    }

    [Fact]
    public void A_refused_file_write_in_update_gives_the_unit_back_its_values()
    {
        _bus.Current["MemoryMax"] = new UInt64Value(ulong.MaxValue);
        _bus.Current["TasksMax"] = new UInt64Value(40);
        var manager = new SystemdManager("p-n.scope", new RecordingManager(_bus.Calls, refuseUpdate: "linux.resources.memory.limit: write memory.max: Device or resource busy"),
            v2: true, () => _bus, facts: v => new SystemdFacts(v, "", _ => true));
        var act = () => manager.Update(Memory);
        act.Should().Throw<ContainerError>().WithMessage("linux.resources.memory.limit: write memory.max*");
        _bus.Calls.Should().Equal(
            "Read p-n.scope MemoryMax=t 1048576; TasksMax=t 10",
            "Set p-n.scope MemoryMax=t 1048576; TasksMax=t 10",
            "files: update",
            "Set p-n.scope MemoryMax=t 18446744073709551615; TasksMax=t 40");
    }

    [Fact]
    public void A_property_refused_in_update_gives_the_unit_back_its_values_and_writes_no_file()
    {
        _bus.Current["MemoryMax"] = new UInt64Value(2 << 20);
        _bus.Errors["Set"] = new(BusError.InvalidArgs, "Value specified in TasksMax is out of range");
        var manager = new SystemdManager("p-n.scope", new RecordingManager(_bus.Calls), v2: true, () => _bus, facts: v => new SystemdFacts(v, "", _ => true));
        var act = () => manager.Update(Memory);
        act.Should().Throw<ContainerError>().WithMessage("linux.resources.pids.limit: systemd refused*");
        _bus.Calls.Should().NotContain("files: update");
        _bus.Calls[^1].Should().Be("Set p-n.scope MemoryMax=t 2097152");
    }

    [Fact]
    public void A_refused_unified_key_is_named_as_the_unified_field()
    {
        _bus.Errors["Set"] = new(BusError.InvalidArgs, "Value specified in CPUWeight is out of range");
        var manager = NewContainer(v2: true);
        manager.Create();
        var act = () => manager.SetResources(new Resources { Pids = new() { Limit = 10 }, Unified = new() { ["cpu.weight"] = "20000" } });
        act.Should().Throw<ContainerError>().WithMessage("linux.resources.unified[\"cpu.weight\"]: systemd refused the unit p-n.scope's properties: Value specified in CPUWeight*");
    }

    [Fact]
    public void Destroy_kills_and_removes_the_cgroups_first_then_stops_the_unit()
    {
        var manager = NewContainer();
        manager.Create();
        _bus.Calls.Clear();
        _bus.Errors["Stop"] = new(BusError.NoSuchUnit, "Unit p-n.scope not loaded."); // gone with its last process
        manager.Destroy();
        _bus.Calls.Should().Equal("files: destroy", "Stop p-n.scope", "ResetFailed p-n.scope");
    }

    [Fact]
    public void Pause_and_resume_use_the_files_and_never_the_bus()
    {
        var connected = false;
        var manager = new SystemdManager("p-n.scope", new RecordingManager(_bus.Calls), v2: false, () => { connected = true; return _bus; });
        manager.Freeze();
        manager.Thaw();
        manager.Pids();
        connected.Should().BeFalse();
        _bus.Calls.Should().Equal("files: freeze", "files: thaw");
    }
}
