using System.CommandLine;
using System.Text.Json;
using LibContainer;
using LibContainer.State;
using OciRun.Output;

namespace OciRun.Commands;

public static class ListCommand
{
    public static Command Build(CommandContext context)
    {
        var command = new Command("list", "lists containers started by oci-run with the given root");
        var format = new Option<string>("--format", "-f") { Description = "select one of: table or json", DefaultValueFactory = _ => "table" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "display only container IDs" };
        command.Options.Add(format);
        command.Options.Add(quiet);
        command.SetAction(result => context.Run(result, containers =>
        {
            var states = containers.List();
            if (result.GetValue(quiet))
            {
                StandardOutput.Write(string.Concat(states.Select(s => s.Id + "\n")));
                return 0;
            }
            switch (result.GetValue(format))
            {
                case "table":
                    StandardOutput.Write(ListTable.Format(states));
                    return 0;
                case "json":
                    // runc prints null, not [], when there is nothing to list.
                    var json = states.Count == 0 ? "null" : StateJson.Format(states);
                    StandardOutput.Write(json + "\n");
                    return 0;
                default:
                    throw new ContainerError($"invalid format option \"{result.GetValue(format)}\": use table or json");
            }
        }));
        return command;
    }
}
