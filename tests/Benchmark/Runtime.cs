namespace OciRun.Benchmark;

/// <summary>One runtime under test: its binary and a private --root.</summary>
public sealed class Runtime(string name, string binary, string root)
{
    public string Name { get; } = name;
    public string Binary { get; } = binary;
    public string Root { get; } = root;

    public string[] Args(params string[] args) => [Binary, "--root", Root, .. args];

    public Sample Call(params string[] args) => Spawner.Run(Args(args));

    /// <summary>Peak RSS of the init waiting on exec.fifo (VmHWM), in KiB.</summary>
    public static long InitPeakKb(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:"));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
    }

    public void DeleteAll()
    {
        if (!Directory.Exists(Root)) return;
        foreach (var dir in Directory.EnumerateDirectories(Root))
            Call("delete", "--force", Path.GetFileName(dir));
        Spawner.ReapOrphans();
    }
}
