using System.Globalization;
using System.Text;

namespace OciRun.Benchmark;

public static class Report
{
    public static string Markdown(Dictionary<string, Measurements> results, Options options, List<string> names)
    {
        var text = new StringBuilder();
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        text.AppendLine($"### {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {cpu}, kernel {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}");
        text.AppendLine();
        text.AppendLine($"Medians of {options.Repetitions} interleaved repetitions after {options.Warmup} warm-up ones; state and list with {options.Containers} stopped containers present, {options.StateRepetitions} repetitions.");
        text.AppendLine();
        var hasCrun = names.Contains("crun");
        var hasRunc = names.Contains("runc");
        text.Append("| figure | ").Append(string.Join(" | ", names)).Append(hasCrun ? " | oci-run/crun" : "").Append(hasRunc ? " | oci-run/runc" : "").AppendLine(" |");
        text.Append("|---|").Append(string.Concat(names.Select(_ => "---:|"))).Append(hasCrun ? "---:|" : "").Append(hasRunc ? "---:|" : "").AppendLine();
        var figures = results.Values.SelectMany(m => m.Figures).Distinct();
        foreach (var figure in figures)
        {
            text.Append($"| {figure} |");
            foreach (var name in names) text.Append($" {Format(results[name].Median(figure))} |");
            var ours = results.GetValueOrDefault("oci-run")?.Median(figure);
            if (hasCrun) text.Append($" {Ratio(ours, results["crun"].Median(figure))} |");
            if (hasRunc) text.Append($" {Ratio(ours, results["runc"].Median(figure))} |");
            text.AppendLine();
        }
        text.AppendLine();
        return text.ToString();
    }

    private static string Format(double? v) => v is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) : "n/a";

    private static string Ratio(double? a, double? b) => a is { } x && b is { } y && y > 0 ? (x / y).ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
}
