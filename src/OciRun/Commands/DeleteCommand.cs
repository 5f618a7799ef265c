using OciRun.CommandLine;

namespace OciRun.Commands;

public static class DeleteCommand
{
    public static readonly SwitchFlag Force = new("force", "forcibly delete the container if it is still running (uses SIGKILL)", Short: 'f');

    // After the flags it lists: static fields are set in the order they are written.
    public static readonly Verb Verb = new("delete", "delete any resources held by the container", "<container-id>", [Force], 1, 1, call =>
        {
            call.Containers.Delete(call.Id, call.Get(Force));
            return 0;
        });
}
