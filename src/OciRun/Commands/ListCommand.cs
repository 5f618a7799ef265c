using System.Text;
using LibContainer;
using LibContainer.State;
using OciRun.CommandLine;
using OciRun.Output;

namespace OciRun.Commands;

public static class ListCommand
{
    public static readonly StringFlag Format = new("format", "select one of: table or json", Short: 'f', ValueName: "FORMAT", Default: "table");
    public static readonly SwitchFlag Quiet = new("quiet", "display only container IDs", Short: 'q');

    // After the flags it lists: static fields are set in the order they are written.
    public static readonly Verb Verb = new("list", "lists containers started by oci-run with the given root", "", [Format, Quiet], 0, 0, call =>
    {
        var states = call.Containers.List();
        if (call.Get(Quiet))
        {
            var ids = new StringBuilder();
            foreach (var state in states) ids.Append(state.Id).Append('\n');
            StandardOutput.Write(ids.ToString());
            return 0;
        }
        switch (call.Get(Format))
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
