using LibContainer.Events;

namespace LibContainer.Tests;

/// <summary>The decisions of `events`' loop: when a tick is due and when an OOM event is.</summary>
public sealed class EventStreamTests
{
    [Theory]
    [InlineData(1000, 500, 1200, 1500)] // on time: the next one on the grid
    [InlineData(1000, 500, 1000, 1500)]
    [InlineData(1000, 500, 1501, 2000)] // the stats read took past a tick: that tick is skipped, not crowded in
    [InlineData(1000, 500, 2600, 3000)]
    public void Ticks_stay_on_the_grid_of_the_interval(long previous, long interval, long now, long next) =>
        EventStream.NextTick(previous, interval, now).Should().Be(next);

    [Theory]
    [InlineData(0UL, 0UL, false)]
    [InlineData(0UL, 1UL, true)]
    [InlineData(2UL, 5UL, true)]
    [InlineData(3UL, 0UL, false)] // a cgroup that is gone reads 0: no news
    public void An_oom_event_is_due_when_the_kill_count_grew(ulong before, ulong now, bool due) =>
        EventStream.OomKilledSince(before, now).Should().Be(due);
}
