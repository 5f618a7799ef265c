using System.CommandLine;

namespace OciRun.Commands;

public static class StartCommand
{
    public static Command Build(CommandContext context)
    {
        var command = new Command("start", "execute the user-defined process in a created container");
        var id = new Argument<string>("container-id");
        command.Arguments.Add(id);
        command.SetAction(result => context.Run(result, containers =>
        {
            containers.Start(result.GetValue(id)!);
            return 0;
        }));
        return command;
    }
}
