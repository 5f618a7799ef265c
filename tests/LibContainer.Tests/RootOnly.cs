namespace LibContainer.Tests;

/// <summary>A test that needs root (it calls the kernel as the runtime does); reported skipped without it, never passed.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!RootOnly.IsRoot) Skip = RootOnly.Reason;
    }
}

/// <summary>A theory that needs root, skipped without it.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (!RootOnly.IsRoot) Skip = RootOnly.Reason;
    }
}

internal static class RootOnly
{
    public static bool IsRoot => Interop.LibC.geteuid() == 0;

    public const string Reason = "calls the kernel as the runtime does: needs root";
}
