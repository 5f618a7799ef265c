using OciRun.CommandLine;

namespace OciRun.Commands;

public static class StartCommand
{
    public static readonly Verb Verb = new("start", "execute the user-defined process in a created container", "<container-id>", [], 1, 1, call =>
    {
        call.Containers.Start(call.Id);
        return 0;
    });
}
