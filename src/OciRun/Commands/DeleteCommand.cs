using System.CommandLine;

namespace OciRun.Commands;

public static class DeleteCommand
{
    public static Command Build(CommandContext context)
    {
        var command = new Command("delete", "delete any resources held by the container");
        var id = new Argument<string>("container-id");
        var force = new Option<bool>("--force", "-f") { Description = "forcibly delete the container if it is still running (uses SIGKILL)" };
        command.Arguments.Add(id);
        command.Options.Add(force);
        command.SetAction(result => context.Run(result, containers =>
        {
            containers.Delete(result.GetValue(id)!, result.GetValue(force));
            return 0;
        }));
        return command;
    }
}
