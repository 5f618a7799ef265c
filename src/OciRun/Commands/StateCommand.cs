using LibContainer.State;
using OciRun.CommandLine;

namespace OciRun.Commands;

public static class StateCommand
{
    public static readonly Verb Verb = new("state", "output the state of a container", "<container-id>", [], 1, 1, call =>
    {
        StandardOutput.Write(StateJson.Format(call.Containers.State(call.Id)) + "\n");
        return 0;
    });
}
