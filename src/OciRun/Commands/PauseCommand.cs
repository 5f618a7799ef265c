using OciRun.CommandLine;

namespace OciRun.Commands;

public static class PauseCommand
{
    public static readonly Verb Verb = new("pause", "pause suspends all processes inside the container", "<container-id>", [], 1, 1, call =>
    {
        call.Containers.Pause(call.Id);
        return 0;
    });
}
