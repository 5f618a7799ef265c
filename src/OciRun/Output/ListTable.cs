using System.Text;
using LibContainer.State;

namespace OciRun.Output;

/// <summary>`list`'s table, laid out like runc's tabwriter (minimum width 12, padding 3).</summary>
public static class ListTable
{
    public static string Format(IReadOnlyList<OciState> states)
    {
        var rows = new List<string[]> { new[] { "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER" } };
        foreach (var s in states) rows.Add([s.Id, s.Pid.ToString(), s.Status, s.Bundle, s.Created, s.Owner]);
        var widths = new int[6];
        foreach (var row in rows)
            for (var c = 0; c < 6; c++) widths[c] = Math.Max(widths[c], Math.Max(12, row[c].Length + 3));
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (var c = 0; c < 5; c++) text.Append(row[c].PadRight(widths[c]));
            text.Append(row[5]).Append('\n');
        }
        return text.ToString();
    }
}
