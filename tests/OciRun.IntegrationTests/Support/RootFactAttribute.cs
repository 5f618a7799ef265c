namespace OciRun.IntegrationTests.Support;

/// <summary>A test that runs real containers: it needs root, and is skipped without it.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!IsRoot) Skip = "runs real containers: needs root";
    }

    public static bool IsRoot { get; } =
        File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:")).Split('\t', StringSplitOptions.RemoveEmptyEntries)[2] == "0";
}
