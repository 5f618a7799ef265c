using System.CommandLine;

namespace OciRun.Commands;

public static class FeaturesCommand
{
    public static Command Build(CommandContext context)
    {
        var command = new Command("features", "show the enabled features (the runtime-spec features document)");
        command.SetAction(result => context.Run(result, _ =>
        {
            StandardOutput.Write(LibContainer.Features.Json() + "\n");
            return 0;
        }));
        return command;
    }
}
