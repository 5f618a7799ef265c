using LibContainer;
using LibContainer.Events;
using OciRun.CommandLine;
using OciRun.Output;

namespace OciRun.Commands;

/// <summary>
/// `events`: one JSON line per event, runc's shape. With --stats, the stats once;
/// otherwise stats every --interval and OOM events until the container stops
/// (or stdout is closed).
/// </summary>
public static class EventsCommand
{
    public static readonly DurationFlag Interval = new("interval", "set the stats collection interval", ValueName: "DURATION", Default: "5s");
    public static readonly SwitchFlag Stats = new("stats", "display the container's stats then exit");

    // After the flags it lists: static fields are set in the order they are written.
    public static readonly Verb Verb = new("events", "display container events such as OOM notifications, cpu, memory, and IO usage statistics",
        "<container-id>", [Interval, Stats], 1, 1, Run);

    private static int Run(Invocation call)
    {
        var interval = call.Get(Interval);
        if (interval <= TimeSpan.Zero) throw new ContainerError("duration interval must be greater than 0");
        if (call.Get(Stats))
        {
            StandardOutput.Write(EventJson.Line(new ContainerEvent(ContainerEventType.Stats, call.Id, call.Containers.Stats(call.Id))));
            return 0;
        }
        foreach (var e in call.Containers.Events(call.Id, interval))
            if (!StandardOutput.TryWrite(EventJson.Line(e))) break; // nobody reads any more
        return 0;
    }
}
