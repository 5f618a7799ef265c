namespace OciRun.Benchmark;

public sealed record RuntimeBinary(string Name, string Binary);

public sealed record Options
{
    public List<RuntimeBinary> Runtimes { get; init; } = [];
    /// <summary>oci-run, whose `spec` writes the bundle's config even when it is not measured.</summary>
    public string OciRun { get; init; } = "";
    public int Repetitions { get; init; } = 200;
    public int Warmup { get; init; } = 10;
    public int Containers { get; init; } = 1000;
    public int StateRepetitions { get; init; } = 100;
    public int RssRepetitions { get; init; } = 20;
    public string? Output { get; init; }

    public static Options Parse(string[] args)
    {
        var o = new Options();
        var binaries = new Dictionary<string, string> { ["oci-run"] = "artifacts/bin/oci-run", ["crun"] = "/usr/bin/crun", ["runc"] = "/usr/sbin/runc" };
        var names = new List<string> { "oci-run", "crun", "runc" };
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--runtimes": names = [.. Next().Split(',')]; break;
                case "--oci-run": binaries["oci-run"] = Next(); break;
                case "--repetitions": o = o with { Repetitions = int.Parse(Next()) }; break;
                case "--warmup": o = o with { Warmup = int.Parse(Next()) }; break;
                case "--containers": o = o with { Containers = int.Parse(Next()) }; break;
                case "--state-repetitions": o = o with { StateRepetitions = int.Parse(Next()) }; break;
                case "--rss-repetitions": o = o with { RssRepetitions = int.Parse(Next()) }; break;
                case "--output": o = o with { Output = Next() }; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        return o with { Runtimes = names.Select(n => new RuntimeBinary(n, Path.GetFullPath(binaries[n]))).ToList(), OciRun = Path.GetFullPath(binaries["oci-run"]) };
    }
}
