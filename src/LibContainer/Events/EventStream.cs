using LibContainer.Cgroups;
using LibContainer.Processes;

namespace LibContainer.Events;

/// <summary>
/// The events of a live container, until it stops: its stats every
/// `interval`, and an OOM event whenever the cgroup's OOM-kill count has grown.
/// The count is read at each tick and once more when init exits (an OOM kill
/// of init is the usual end), rather than watched through memory.oom_control's
/// eventfd (v1) or an inotify on memory.events (v2) as runc does: one way for
/// both versions, no notification fds or threads, at the cost of reporting an
/// OOM kill that init survives up to one interval late.
/// </summary>
internal static class EventStream
{
    /// <summary>Takes over `init`, which is disposed when the stream ends or is abandoned.</summary>
    public static IEnumerable<ContainerEvent> Of(string id, ICgroupManager cgroup, PidFd init, TimeSpan interval)
    {
        using (init)
        {
            var oomKills = cgroup.OomKillCount();
            var intervalMs = Math.Max(1L, (long)Math.Ceiling(interval.TotalMilliseconds));
            var next = Environment.TickCount64 + intervalMs;
            while (true)
            {
                var exited = init.WaitForExit((int)Math.Min(int.MaxValue, Math.Max(0, next - Environment.TickCount64)));
                var now = cgroup.OomKillCount();
                if (OomKilledSince(oomKills, now)) yield return new ContainerEvent(ContainerEventType.Oom, id);
                oomKills = Math.Max(oomKills, now);
                if (exited) yield break;
                if (Environment.TickCount64 < next) continue; // woken early without an exit: wait out the tick
                yield return new ContainerEvent(ContainerEventType.Stats, id, cgroup.Stats());
                next = NextTick(next, intervalMs, Environment.TickCount64);
            }
        }
    }

    /// <summary>An OOM event is due when the count has grown (a cgroup that is gone reads 0, which is no news).</summary>
    public static bool OomKilledSince(ulong before, ulong now) => now > before;

    /// <summary>The next tick after `now` on the grid of `previous + k * interval`, so slow reads do not add up into drift.</summary>
    public static long NextTick(long previous, long intervalMs, long now)
    {
        var next = previous + intervalMs;
        if (next <= now) next += ((now - next) / intervalMs + 1) * intervalMs;
        return next;
    }
}
