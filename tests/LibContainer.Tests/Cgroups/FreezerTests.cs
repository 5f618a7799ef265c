using LibContainer.Cgroups;
using LibContainer.Cgroups.Freezer;

namespace LibContainer.Tests.Cgroups;

/// <summary>The v1 and v2 freezers on fake cgroup files: what a state reads as, and how freeze and thaw write and wait.</summary>
public sealed class FreezerTests
{
    private const string V1Dir = "/sys/fs/cgroup/freezer/oci/c1";
    private const string V1State = V1Dir + "/freezer.state";
    private const string V1Self = V1Dir + "/freezer.self_freezing";
    private const string V2Dir = "/sys/fs/cgroup/oci/c1";
    private const string V2Freeze = V2Dir + "/cgroup.freeze";
    private const string V2Events = V2Dir + "/cgroup.events";

    // ---- v1: reading ----

    [Theory]
    [InlineData("THAWED\n", null, FreezerState.Thawed)]
    [InlineData("FROZEN\n", "1\n", FreezerState.Frozen)]
    [InlineData("FROZEN\n", null, FreezerState.Frozen)] // a kernel without self_freezing
    [InlineData("FREEZING\n", "1\n", FreezerState.Freezing)]
    [InlineData("FROZEN\n", "0\n", FreezerState.Thawed)] // frozen through an ancestor only: not this container's pause
    [InlineData("FREEZING\n", "0\n", FreezerState.Thawed)]
    [InlineData(null, null, FreezerState.Thawed)] // the cgroup is gone
    public void V1_state_reads_as_runc_sees_it(string? state, string? self, FreezerState expected) =>
        V1Freezer.Parse(state, self, V1Dir).Should().Be(expected);

    [Fact]
    public void V1_an_unknown_state_is_an_error_naming_the_file()
    {
        var act = () => V1Freezer.Parse("MELTING\n", "1\n", V1Dir);
        act.Should().Throw<ContainerError>().WithMessage($"{V1State} reads \"MELTING\"*");
    }

    [Fact]
    public void V1_without_a_freezer_hierarchy_nothing_is_frozen_and_self_freezing_is_read_only_when_needed()
    {
        V1Freezer.Read(null, new FakeCgroupFiles()).Should().Be(FreezerState.Thawed);
        var files = new FakeCgroupFiles().With(V1State, "FROZEN\n").With(V1Self, "1\n");
        V1Freezer.Read(V1Dir, files).Should().Be(FreezerState.Frozen);
        V1Freezer.Read(V1Dir, new FakeCgroupFiles().With(V1State, "THAWED\n").With(V1Self, "garbage")).Should().Be(FreezerState.Thawed);
    }

    // ---- v1: the retry plan ----

    [Fact]
    public void V1_attempts_thaw_first_every_50th_and_pause_before_reading_every_25th()
    {
        V1Freezer.PlanAttempt(0).Should().Be(new V1Freezer.Attempt(ThawFirst: false, PauseBeforeRead: false));
        V1Freezer.PlanAttempt(24).Should().Be(new V1Freezer.Attempt(ThawFirst: false, PauseBeforeRead: true));
        V1Freezer.PlanAttempt(49).Should().Be(new V1Freezer.Attempt(ThawFirst: true, PauseBeforeRead: true));
        Enumerable.Range(0, V1Freezer.MaxAttempts).Count(n => V1Freezer.PlanAttempt(n).ThawFirst).Should().Be(20);
    }

    [Theory]
    [InlineData("FROZEN\n", "Frozen")]
    [InlineData("FREEZING\n", "StillFreezing")]
    [InlineData("THAWED\n", "Unexpected")]
    [InlineData(null, "Unexpected")]
    public void V1_what_the_state_read_after_writing_frozen_means(string? read, string outcome) =>
        V1Freezer.Judge(read).ToString().Should().Be(outcome);

    // ---- v1: freeze and thaw ----

    [Fact]
    public void V1_freeze_writes_frozen_until_freezing_is_over()
    {
        var files = new FakeCgroupFiles().Reading(V1State, "FREEZING\n", "FREEZING\n", "FROZEN\n");
        V1Freezer.Freeze(V1Dir, files);
        files.WritesTo(V1State).Should().Equal("FROZEN", "FROZEN", "FROZEN");
    }

    [Fact]
    public void V1_a_freeze_that_never_finishes_fails_after_the_bound_and_thaws_again()
    {
        var files = new FakeCgroupFiles().Reading(V1State, "FREEZING\n");
        var act = () => V1Freezer.Freeze(V1Dir, files);
        act.Should().Throw<ContainerError>().WithMessage($"cannot freeze the container: {V1State} still reads FREEZING after 1000 attempts*thawed again");
        var writes = files.WritesTo(V1State);
        writes.Count(w => w == "FROZEN").Should().Be(V1Freezer.MaxAttempts);
        writes.Count(w => w == "THAWED").Should().Be(21, "20 thaws on the way, and the last one");
        writes[^1].Should().Be("THAWED");
    }

    [Fact]
    public void V1_an_unexpected_state_fails_and_thaws()
    {
        var files = new FakeCgroupFiles().Reading(V1State, "THAWED\n");
        var act = () => V1Freezer.Freeze(V1Dir, files);
        act.Should().Throw<ContainerError>().WithMessage($"*{V1State} reads \"THAWED\" after FROZEN was written");
        files.WritesTo(V1State).Should().Equal("FROZEN", "THAWED");
    }

    [Fact]
    public void V1_freeze_without_a_freezer_hierarchy_says_what_is_missing()
    {
        var act = () => V1Freezer.Freeze(null, new FakeCgroupFiles());
        act.Should().Throw<ContainerError>().WithMessage("*no cgroup v1 freezer hierarchy is mounted*");
    }

    [Fact]
    public void V1_thaw_writes_thawed_and_is_nothing_without_a_freezer()
    {
        var files = new FakeCgroupFiles().With(V1State, "FROZEN\n");
        V1Freezer.Thaw(V1Dir, files);
        files.WritesTo(V1State).Should().Equal("THAWED");
        var none = new FakeCgroupFiles();
        V1Freezer.Thaw(null, none);
        none.Writes.Should().BeEmpty();
    }

    // ---- v2 ----

    [Theory]
    [InlineData("0\n", "populated 1\nfrozen 0\n", FreezerState.Thawed)]
    [InlineData("1\n", "populated 1\nfrozen 1\n", FreezerState.Frozen)]
    [InlineData("1\n", "populated 1\nfrozen 0\n", FreezerState.Freezing)]
    [InlineData("0\n", "populated 1\nfrozen 1\n", FreezerState.Thawed)] // an ancestor froze it: not this container's pause
    [InlineData(null, null, FreezerState.Thawed)] // gone, or a kernel before 5.2
    public void V2_state_reads_from_cgroup_freeze_and_cgroup_events(string? freeze, string? events, FreezerState expected) =>
        V2Freezer.Parse(freeze, events, V2Dir).Should().Be(expected);

    [Fact]
    public void V2_an_odd_cgroup_freeze_is_an_error_naming_the_file()
    {
        var act = () => V2Freezer.Parse("2\n", null, V2Dir);
        act.Should().Throw<ContainerError>().WithMessage($"{V2Freeze} reads \"2\"*");
    }

    [Fact]
    public void V2_freeze_writes_1_and_waits_for_frozen_1()
    {
        var files = new FakeCgroupFiles().With(V2Freeze, "0\n").Reading(V2Events, "populated 1\nfrozen 0\n", "populated 1\nfrozen 0\n", "populated 1\nfrozen 1\n");
        V2Freezer.Freeze(V2Dir, files, TimeSpan.FromSeconds(10));
        files.WritesTo(V2Freeze).Should().Equal("1");
        V2Freezer.Read(V2Dir, files).Should().Be(FreezerState.Frozen);
    }

    [Fact]
    public void V2_a_freeze_that_never_finishes_times_out_and_thaws_again()
    {
        var files = new FakeCgroupFiles().With(V2Freeze, "0\n").Reading(V2Events, "populated 1\nfrozen 0\n");
        var act = () => V2Freezer.Freeze(V2Dir, files, TimeSpan.FromMilliseconds(50));
        act.Should().Throw<ContainerError>().WithMessage($"cannot freeze the container: {V2Dir} did not report \"frozen 1\"*within 0.05s; it was thawed again");
        files.WritesTo(V2Freeze).Should().Equal("1", "0");
    }

    [Fact]
    public void V2_freeze_without_cgroup_freeze_names_the_kernel_it_needs_and_thaw_is_then_nothing()
    {
        var files = new FakeCgroupFiles();
        var act = () => V2Freezer.Freeze(V2Dir, files, TimeSpan.FromSeconds(1));
        act.Should().Throw<ContainerError>().WithMessage($"*{V2Dir} has no cgroup.freeze*5.2*");
        V2Freezer.Thaw(V2Dir, files);
        files.Writes.Should().BeEmpty();
    }

    [Fact]
    public void V2_thaw_writes_0()
    {
        var files = new FakeCgroupFiles().With(V2Freeze, "1\n");
        V2Freezer.Thaw(V2Dir, files);
        files.WritesTo(V2Freeze).Should().Equal("0");
    }

    // ---- the managers, on real files in a temp directory ----

    [Fact]
    public void The_managers_freeze_read_and_thaw_their_own_freezer_files()
    {
        var dir = Directory.CreateTempSubdirectory("ocirun-freezer-").FullName;
        try
        {
            var v1Dir = Directory.CreateDirectory(Path.Combine(dir, "freezer")).FullName;
            File.WriteAllText(Path.Combine(v1Dir, "freezer.state"), "THAWED\n");
            var v1 = new V1Manager(new Dictionary<string, string> { ["freezer"] = v1Dir, ["memory"] = Path.Combine(dir, "memory") });
            v1.ReadFreezerState().Should().Be(FreezerState.Thawed);
            v1.Freeze();
            File.ReadAllText(Path.Combine(v1Dir, "freezer.state")).Trim().Should().Be("FROZEN");
            v1.ReadFreezerState().Should().Be(FreezerState.Frozen);
            v1.Thaw();
            v1.ReadFreezerState().Should().Be(FreezerState.Thawed);
            v1.Exists().Should().BeTrue();

            var v2Dir = Directory.CreateDirectory(Path.Combine(dir, "unified")).FullName;
            File.WriteAllText(Path.Combine(v2Dir, "cgroup.freeze"), "0\n");
            File.WriteAllText(Path.Combine(v2Dir, "cgroup.events"), "populated 1\nfrozen 1\n"); // a plain file does not change by itself
            var v2 = new V2Manager(v2Dir);
            v2.Freeze();
            v2.ReadFreezerState().Should().Be(FreezerState.Frozen);
            v2.Thaw();
            v2.ReadFreezerState().Should().Be(FreezerState.Thawed);
            new V2Manager(Path.Combine(dir, "gone")).Exists().Should().BeFalse();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
