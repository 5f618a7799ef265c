using System.CommandLine;
using System.Text.Json;
using LibContainer.State;

namespace OciRun.Commands;

public static class StateCommand
{
    public static Command Build(CommandContext context)
    {
        var command = new Command("state", "output the state of a container");
        var id = new Argument<string>("container-id");
        command.Arguments.Add(id);
        command.SetAction(result => context.Run(result, containers =>
        {
            var state = containers.State(result.GetValue(id)!);
            StandardOutput.Write(StateJson.Format(state) + "\n");
            return 0;
        }));
        return command;
    }
}
