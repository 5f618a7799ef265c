using System.Reflection;
using LibContainer.Launch;

namespace LibContainer.Tests.Launch;

public sealed class RollbackTests
{
    [Fact]
    public void Undoes_newest_first()
    {
        var undone = new List<string>();
        using (var rollback = new Rollback())
        {
            rollback.Push(() => undone.Add("state directory"));
            rollback.Push(() => undone.Add("cgroup"));
            rollback.Push(() => undone.Add("init"));
        }
        undone.Should().Equal("init", "cgroup", "state directory");
    }

    [Fact]
    public void Undoes_nothing_once_committed()
    {
        var undone = new List<string>();
        using (var rollback = new Rollback())
        {
            rollback.Push(() => undone.Add("cgroup"));
            rollback.Commit();
        }
        undone.Should().BeEmpty();
    }

    [Fact]
    public void An_undo_that_fails_neither_stops_the_others_nor_hides_the_original_error()
    {
        var undone = new List<string>();
        var act = () =>
        {
            using var rollback = new Rollback();
            rollback.Push(() => undone.Add("state directory"));
            rollback.Push(() => throw new ContainerError("cgroup busy"));
            rollback.Push(() => undone.Add("init"));
            throw new ContainerError("the original error");
        };
        act.Should().Throw<ContainerError>().WithMessage("the original error");
        undone.Should().Equal("init", "state directory");
    }

    [Fact]
    public void Undoes_once()
    {
        var count = 0;
        var rollback = new Rollback();
        rollback.Push(() => count++);
        rollback.Dispose();
        rollback.Dispose();
        count.Should().Be(1);
    }

    // The order of the frames is a compile-time property: a step is made only by
    // the one before it sending its frame (SpawnedInit.Spawn → Bootstrap →
    // JoinCgroups → Complete, or CompleteExec for an exec, which ends with the
    // process's PID), so create and exec cannot send them out of order or skip
    // one. This checks the shape that makes it so: no step can be made from
    // outside LibContainer, and each one's only ways forward are the next.
    [Theory]
    [InlineData(typeof(SpawnedInit), nameof(SpawnedInit.Bootstrap), typeof(NamespacedInit))]
    [InlineData(typeof(NamespacedInit), nameof(NamespacedInit.JoinCgroups), typeof(PlacedInit))]
    [InlineData(typeof(PlacedInit), nameof(PlacedInit.Complete), typeof(ReadyInit), nameof(PlacedInit.CompleteExec), typeof(int))]
    public void Each_launch_step_leads_only_to_the_next(Type step, string frame, Type next, string? otherFrame = null, Type? otherNext = null)
    {
        step.GetConstructors(BindingFlags.Public | BindingFlags.Instance).Should().BeEmpty();
        var methods = step.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly);
        var expected = new List<(string, Type)> { (frame, next) };
        if (otherFrame is not null) expected.Add((otherFrame, otherNext!));
        methods.Select(m => (m.Name, m.ReturnType)).Should().BeEquivalentTo(expected);
    }
}
