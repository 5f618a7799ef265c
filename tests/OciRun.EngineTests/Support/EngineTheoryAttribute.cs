namespace OciRun.EngineTests.Support;

/// <summary>
/// A check run through a real engine: needs root, else skipped. The engine's
/// fixture skips it too (Skip.If) when the engine cannot run on this machine,
/// with the reason, so it is reported skipped, never passed.
/// </summary>
public sealed class EngineTheoryAttribute : SkippableTheoryAttribute
{
    public EngineTheoryAttribute()
    {
        if (!Host.IsRoot) Skip = "starts real engines: needs root";
    }
}
