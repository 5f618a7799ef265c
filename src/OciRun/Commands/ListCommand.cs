using System.Text;
using LibContainer;
using LibContainer.State;
using OciRun.CommandLine;
using OciRun.Output;

namespace OciRun.Commands;

public static class ListCommand
{
    public static readonly Verb Verb = new("list", "lists containers started by oci-run with the given root", "",
    [
        new("format", "select one of: table or json", Short: 'f', ValueName: "FORMAT", Default: "table"),
        new("quiet", "display only container IDs", Short: 'q'),
    ], 0, 0, call =>
    {
        var states = call.Containers.List();
        if (call.Arguments.Switch("quiet"))
        {
            var ids = new StringBuilder();
            foreach (var state in states) ids.Append(state.Id).Append('\n');
            StandardOutput.Write(ids.ToString());
            return 0;
        }
        switch (call.Arguments.Value("format"))
        {
            case "table":
                StandardOutput.Write(ListTable.Format(states));
                return 0;
            case "json":
                // runc prints null, not [], when there is nothing to list.
                StandardOutput.Write((states.Count == 0 ? "null" : StateJson.Format(states)) + "\n");
                return 0;
            case var other:
                throw new ContainerError($"invalid format option \"{other}\": use table or json");
        }
    });
}
