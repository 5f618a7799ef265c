namespace OciRun.Benchmark;

public static class Rss
{
    /// <summary>Peak resident memory of one command in KiB, as GNU time reports it.</summary>
    public static long Of(string[] argv, string work)
    {
        var output = Path.Combine(work, "rss");
        var sample = Spawner.Run(["/usr/bin/time", "-f", "%M", "-o", output, .. argv]);
        if (sample.ExitCode != 0) throw new InvalidOperationException($"{string.Join(' ', argv)} failed ({sample.ExitCode})");
        return long.Parse(File.ReadAllLines(output).Last().Trim());
    }
}
