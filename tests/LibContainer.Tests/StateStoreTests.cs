using LibContainer;
using LibContainer.State;

namespace LibContainer.Tests;

public sealed class StateStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ocirun-unit-").FullName;
    private readonly StateStore _store;

    public StateStoreTests() => _store = new StateStore(Path.Combine(_root, "state"));

    public void Dispose() => Directory.Delete(_root, true);

    private static ContainerState Sample(string id, int pid = 0, ulong startTime = 5) => new()
    {
        Id = id, Pid = pid, PidStartTime = startTime, Bundle = "/b", Rootfs = "/b/rootfs", Created = "2026-01-02T03:04:05.123456789Z",
        Owner = 1000, Annotations = new() { ["k"] = "v", ["quote\""] = "é ü <&>" },
        CgroupPaths = new() { ["memory"] = "/sys/fs/cgroup/memory/x", [""] = "/sys/fs/cgroup/unified/x" },
        CgroupDriver = "cgroupfs-v1",
    };

    private void Create(ContainerState state)
    {
        using (_store.CreateDirectory(state.Id)) _store.Save(state);
    }

    [Theory]
    [InlineData("abc-1_2.3+x")]
    [InlineData("a")]
    [InlineData("...")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Good_ids_are_accepted(string id)
    {
        var act = () => StateStore.ValidateId(id);
        act.Should().NotThrow();
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("../etc")]
    [InlineData("a b")]
    [InlineData("a:b")]
    [InlineData("ümlaut")]
    [InlineData("a\nb")]
    public void Bad_ids_are_refused_naming_the_id(string id)
    {
        var act = () => StateStore.ValidateId(id);
        act.Should().Throw<ContainerError>().Which.Message.Should().StartWith($"invalid container ID \"{id}\"");
    }

    [Fact]
    public void Creating_makes_the_root_and_a_private_container_directory()
    {
        using (_store.CreateDirectory("c1")) { }
        Directory.Exists(_store.DirectoryOf("c1")).Should().BeTrue();
        File.GetUnixFileMode(_store.Root).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [Fact]
    public void A_second_create_of_an_id_is_refused()
    {
        using (_store.CreateDirectory("c1")) { }
        var act = () => _store.CreateDirectory("c1");
        act.Should().Throw<ContainerError>().WithMessage("container \"c1\" already exists");
    }

    [Fact]
    public void Create_checks_the_id_first()
    {
        var act = () => _store.CreateDirectory("../escape");
        act.Should().Throw<ContainerError>().WithMessage("invalid container ID*");
        Directory.Exists(Path.Combine(_root, "escape")).Should().BeFalse();
    }

    [Fact]
    public void Loading_an_unknown_id_says_it_does_not_exist()
    {
        var act = () => _store.Load("nope");
        act.Should().Throw<ContainerError>().WithMessage("container \"nope\" does not exist");
    }

    [Fact]
    public void Locking_an_unknown_id_says_it_does_not_exist()
    {
        var act = () => _store.Lock("nope");
        act.Should().Throw<ContainerError>().WithMessage("container \"nope\" does not exist");
    }

    [Fact]
    public void Saved_state_loads_back_the_same()
    {
        Create(Sample("saved", pid: 4242, startTime: 987654321));
        _store.Load("saved").Should().BeEquivalentTo(Sample("saved", pid: 4242, startTime: 987654321));
    }

    [Fact]
    public void Saving_again_replaces_the_state_and_leaves_no_temp_file()
    {
        Create(Sample("c1"));
        _store.Save(Sample("c1") with { Pid = 77 });
        _store.Load("c1").Pid.Should().Be(77);
        Directory.GetFiles(_store.DirectoryOf("c1")).Select(Path.GetFileName).Should().Equal(StateStore.StateFile);
    }

    [Fact]
    public void A_state_without_annotations_loads_without_them()
    {
        Create(Sample("c1") with { Annotations = null, CgroupPaths = [] });
        var loaded = _store.Load("c1");
        loaded.Annotations.Should().BeNull();
        loaded.CgroupPaths.Should().BeEmpty();
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{}")]
    [InlineData("""{ "id": "c1", "pid": "x" }""")]
    public void A_corrupt_state_file_says_how_to_get_rid_of_it(string content)
    {
        using (_store.CreateDirectory("c1")) { }
        File.WriteAllText(Path.Combine(_store.DirectoryOf("c1"), StateStore.StateFile), content);
        var act = () => _store.Load("c1");
        act.Should().Throw<ContainerError>().Which.Message.Should()
            .StartWith("container \"c1\": state.json is corrupt").And.Contain("oci-run delete --force c1");
    }

    [Fact]
    public void Ids_are_the_container_directories_in_name_order()
    {
        Create(Sample("b"));
        Create(Sample("a"));
        using (_store.CreateDirectory("half-created")) { }
        File.WriteAllText(Path.Combine(_store.Root, "stray-file"), "");
        Directory.CreateDirectory(Path.Combine(_store.Root, "@seccomp")); // the seccomp cache: no container can be called that
        // By design (see StateStore.Ids) a directory without state.json is listed and fails to Load;
        // Containers.List skips it (ContainersTests).
        _store.Ids().Should().Equal("a", "b", "half-created");
        var half = () => _store.Load("half-created");
        half.Should().Throw<ContainerError>().WithMessage("container \"half-created\" does not exist");
    }

    [Fact]
    public void Ids_of_a_root_that_does_not_exist_yet_is_empty()
    {
        _store.Ids().Should().BeEmpty();
    }

    [Fact]
    public void Remove_deletes_the_container_and_tolerates_a_missing_one()
    {
        Create(Sample("c1"));
        _store.Remove("c1");
        _store.Ids().Should().BeEmpty();
        var again = () => _store.Remove("c1");
        again.Should().NotThrow();
    }

    [Fact]
    public void Remove_also_clears_files_a_crashed_write_left_behind()
    {
        Create(Sample("c1"));
        File.WriteAllText(Path.Combine(_store.DirectoryOf("c1"), "state.json.123.tmp"), "{");
        File.WriteAllText(_store.FifoOf("c1"), "");
        _store.Remove("c1");
        Directory.Exists(_store.DirectoryOf("c1")).Should().BeFalse();
    }

    [Fact]
    public void Pid_zero_is_stopped()
    {
        _store.StatusOf(Sample("c1", pid: 0)).Should().Be(ContainerStatus.Stopped);
    }

    [Fact]
    public void A_live_pid_with_another_start_time_is_stopped()
    {
        var me = ProcessProbe.Read(Environment.ProcessId)!.Value;
        _store.StatusOf(Sample("c1", Environment.ProcessId, me.StartTime + 1)).Should().Be(ContainerStatus.Stopped, "the PID was reused");
    }

    [Fact]
    public void A_live_init_is_created_while_exec_fifo_exists_and_running_after()
    {
        var me = ProcessProbe.Read(Environment.ProcessId)!.Value;
        var state = Sample("c1", Environment.ProcessId, me.StartTime);
        Create(state);
        File.WriteAllText(_store.FifoOf("c1"), ""); // only its existence is looked at
        _store.StatusOf(state).Should().Be(ContainerStatus.Created);
        File.Delete(_store.FifoOf("c1"));
        _store.StatusOf(state).Should().Be(ContainerStatus.Running);
    }

    [Theory]
    [InlineData("FROZEN\n", "1\n", ContainerStatus.Paused)]
    [InlineData("FREEZING\n", "1\n", ContainerStatus.Paused)]
    [InlineData("FROZEN\n", "0\n", ContainerStatus.Running)] // frozen by an ancestor, not paused: runc says running too
    [InlineData("THAWED\n", "0\n", ContainerStatus.Running)]
    public void A_live_container_whose_cgroup_is_frozen_is_paused(string freezerState, string selfFreezing, ContainerStatus expected)
    {
        var me = ProcessProbe.Read(Environment.ProcessId)!.Value;
        var state = WithFreezer(Sample("c1", Environment.ProcessId, me.StartTime), freezerState, selfFreezing);
        Create(state);
        _store.StatusOf(state).Should().Be(expected);
        File.WriteAllText(_store.FifoOf("c1"), "");
        _store.StatusOf(state).Should().Be(expected == ContainerStatus.Paused ? ContainerStatus.Paused : ContainerStatus.Created,
            "a created container can be paused too");
    }

    [Fact]
    public void A_record_read_without_cgroup_paths_is_paused_all_the_same()
    {
        var me = ProcessProbe.Read(Environment.ProcessId)!.Value;
        var state = WithFreezer(Sample("c1", Environment.ProcessId, me.StartTime), "FROZEN\n", "1\n");
        Create(state);
        var asListReadsIt = _store.Load("c1", withCgroupPaths: false);
        asListReadsIt.CgroupPaths.Should().BeEmpty();
        _store.StatusOf(asListReadsIt).Should().Be(ContainerStatus.Paused);
    }

    [Fact]
    public void A_dead_init_is_stopped_whatever_the_freezer_says()
    {
        _store.StatusOf(WithFreezer(Sample("c1", pid: 0), "FROZEN\n", "1\n")).Should().Be(ContainerStatus.Stopped);
    }

    // A freezer directory of plain files under the test's root.
    private ContainerState WithFreezer(ContainerState state, string freezerState, string selfFreezing)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, "freezer", state.Id)).FullName;
        File.WriteAllText(Path.Combine(dir, "freezer.state"), freezerState);
        File.WriteAllText(Path.Combine(dir, "freezer.self_freezing"), selfFreezing);
        return state with { CgroupPaths = new(state.CgroupPaths) { ["freezer"] = dir } };
    }

    [Fact]
    public void A_pid_that_no_longer_exists_is_stopped()
    {
        using var child = System.Diagnostics.Process.Start("true")!;
        child.WaitForExit();
        var pid = child.Id;
        _store.StatusOf(Sample("c1", pid, 1)).Should().Be(ContainerStatus.Stopped);
    }

    [Fact]
    public void The_cgroup_driver_and_a_create_in_progress_are_kept()
    {
        Create(Sample("c1") with { Creating = true });
        var loaded = _store.Load("c1");
        loaded.CgroupDriver.Should().Be("cgroupfs-v1");
        loaded.Creating.Should().BeTrue();
        _store.Save(loaded with { Creating = false });
        _store.Load("c1").Creating.Should().BeFalse();
    }

    [Fact]
    public void A_record_of_a_create_that_died_is_stopped_and_one_whose_create_holds_the_lock_is_creating()
    {
        var state = Sample("c1") with { Creating = true };
        using (_store.CreateDirectory("c1"))
        {
            _store.Save(state);
            _store.StatusOf(state).Should().Be(ContainerStatus.Creating, "create still holds the lock");
            _store.StatusOf(state, lockHeld: true).Should().Be(ContainerStatus.Stopped, "whoever holds the lock knows create is over");
        }
        _store.StatusOf(state).Should().Be(ContainerStatus.Stopped, "create is gone");
    }

    [Fact]
    public async Task A_lock_on_a_directory_removed_while_waiting_is_no_lock()
    {
        using (_store.CreateDirectory("c1")) { }
        var dir = _store.DirectoryOf("c1");
        using (var first = _store.Lock("c1"))
        {
            var second = Task.Factory.StartNew(() => _store.TryLock("c1"), TaskCreationOptions.LongRunning);
            // /proc/locks shows a request blocked behind another as "N: -> FLOCK ...".
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!File.ReadAllText("/proc/locks").Contains("-> FLOCK") && DateTime.UtcNow < deadline) Thread.Sleep(5);
            second.IsCompleted.Should().BeFalse("the second waits for the first");
            Directory.Delete(dir);
            Directory.CreateDirectory(dir); // a new container of the same ID
            first.Dispose();
            (await second).Should().BeNull("the directory it waited on was removed");
        }
    }
}
