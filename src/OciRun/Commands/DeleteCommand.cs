using OciRun.CommandLine;

namespace OciRun.Commands;

public static class DeleteCommand
{
    public static readonly Verb Verb = new("delete", "delete any resources held by the container", "<container-id>",
        [new("force", "forcibly delete the container if it is still running (uses SIGKILL)", Short: 'f')], 1, 1, call =>
        {
            call.Containers.Delete(call.Id, call.Arguments.Switch("force"));
            return 0;
        });
}
