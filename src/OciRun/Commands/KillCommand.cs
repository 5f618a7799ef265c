using System.CommandLine;
using LibContainer.Processes;

namespace OciRun.Commands;

public static class KillCommand
{
    public static Command Build(CommandContext context)
    {
        var command = new Command("kill", "kill sends the specified signal (default: SIGTERM) to the container's init process");
        var id = new Argument<string>("container-id");
        var signal = new Argument<string>("signal") { Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "SIGTERM" };
        var all = new Option<bool>("--all", "-a") { Description = "send the specified signal to all processes inside the container" };
        command.Arguments.Add(id);
        command.Arguments.Add(signal);
        command.Options.Add(all);
        command.SetAction(result => context.Run(result, containers =>
        {
            var number = Signals.Parse(result.GetValue(signal)!);
            containers.Kill(result.GetValue(id)!, number, result.GetValue(all));
            return 0;
        }));
        return command;
    }
}
