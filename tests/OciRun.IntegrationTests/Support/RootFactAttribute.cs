namespace OciRun.IntegrationTests.Support;

/// <summary>
/// A test that runs real containers: it needs root, and is skipped without it.
/// It may also skip itself (Skip.If) when the host lacks what it tests, so it
/// is reported skipped, never passed.
/// </summary>
public sealed class RootFactAttribute : SkippableFactAttribute
{
    public RootFactAttribute()
    {
        if (!IsRoot) Skip = "runs real containers: needs root";
    }

    public static bool IsRoot { get; } =
        File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:")).Split('\t', StringSplitOptions.RemoveEmptyEntries)[2] == "0";
}

/// <summary>A theory that runs real containers: skipped without root, as RootFact.</summary>
public sealed class RootTheoryAttribute : SkippableTheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (!RootFactAttribute.IsRoot) Skip = "runs real containers: needs root";
    }
}
