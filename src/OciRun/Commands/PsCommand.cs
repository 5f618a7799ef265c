using System.Text;
using LibContainer;
using OciRun.CommandLine;

namespace OciRun.Commands;

/// <summary>`ps`: the container's processes; JSON is the PID list containerd's shim reads, table is the host's ps filtered to them.</summary>
public static class PsCommand
{
    public static readonly StringFlag Format = new("format", "select one of: table or json", Short: 'f', ValueName: "FORMAT", Default: "table");

    // After the flags it lists: static fields are set in the order they are written.
    public static readonly Verb Verb = new("ps", "ps displays the processes running inside a container", "<container-id> [ps options]",
        [Format], 1, Verb.Unlimited, Run)
    {
        RestAreArguments = true,
    };

    private static int Run(Invocation call)
    {
        var pids = call.Containers.Processes(call.Id);
        switch (call.Get(Format))
        {
            case "json":
                StandardOutput.Write("[" + string.Join(',', pids) + "]\n");
                return 0;
            case "table":
                var args = call.Arguments.Positional.Count > 1 ? call.Arguments.PositionalFrom(1) : ["-ef"];
                StandardOutput.Write(FilterPs(args, pids));
                return 0;
            case var other:
                throw new ContainerError($"invalid format option \"{other}\": use table or json");
        }
    }

    // runc's way: run the host's ps and keep its header and the rows whose PID column is one of ours.
    private static string FilterPs(string[] args, IReadOnlyList<int> pids)
    {
        var output = LibContainer.Processes.HostCommand.Output("ps", args);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0) return "";
        var pidColumn = Array.IndexOf(lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries), "PID");
        if (pidColumn < 0) throw new ContainerError("ps output has no PID column");
        var ours = new HashSet<int>(pids);
        var kept = new StringBuilder(lines[0]).Append('\n');
        foreach (var line in lines.AsSpan(1))
            if (line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is var f && f.Length > pidColumn && int.TryParse(f[pidColumn], out var p) && ours.Contains(p))
                kept.Append(line).Append('\n');
        return kept.ToString();
    }
}
