using System.CommandLine;
using LibContainer;

namespace OciRun.Commands;

/// <summary>`ps`: the container's processes; JSON is the PID list containerd's shim reads, table is the host's ps filtered to them.</summary>
public static class PsCommand
{
    public static Command Build(CommandContext context)
    {
        var command = new Command("ps", "ps displays the processes running inside a container");
        var id = new Argument<string>("container-id");
        var psArgs = new Argument<string[]>("ps-args") { Arity = ArgumentArity.ZeroOrMore, Description = "arguments for ps (default -ef)" };
        var format = new Option<string>("--format", "-f") { Description = "select one of: table or json", DefaultValueFactory = _ => "table" };
        command.Arguments.Add(id);
        command.Arguments.Add(psArgs);
        command.Options.Add(format);
        command.SetAction(result => context.Run(result, containers =>
        {
            var pids = containers.Processes(result.GetValue(id)!);
            switch (result.GetValue(format))
            {
                case "json":
                    StandardOutput.Write("[" + string.Join(',', pids) + "]\n");
                    return 0;
                case "table":
                    var args = result.GetValue(psArgs) is { Length: > 0 } given ? given : ["-ef"];
                    StandardOutput.Write(FilterPs(args, pids));
                    return 0;
                default:
                    throw new ContainerError($"invalid format option \"{result.GetValue(format)}\": use table or json");
            }
        }));
        return command;
    }

    // runc's way: run the host's ps and keep its header and the rows whose PID column is one of ours.
    private static string FilterPs(string[] args, IReadOnlyList<int> pids)
    {
        var output = LibContainer.Processes.HostCommand.Output("ps", args);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0) return "";
        var pidColumn = Array.IndexOf(lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries), "PID");
        if (pidColumn < 0) throw new ContainerError("ps output has no PID column");
        var ours = pids.ToHashSet();
        var kept = lines.Skip(1).Where(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is var f && f.Length > pidColumn && int.TryParse(f[pidColumn], out var p) && ours.Contains(p));
        return string.Join('\n', [lines[0], .. kept]) + "\n";
    }
}
