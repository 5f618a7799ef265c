namespace OciRun.EngineTests.Support;

/// <summary>
/// An engine started once per test class in a Scratch of its own and torn down
/// after the class, failed tests or not. If the engine cannot run here (not
/// installed, not root, does not start), every test of the class is skipped
/// with the reason.
/// </summary>
public abstract class EngineFixture : IDisposable
{
    protected Scratch Scratch { get; }

    /// <summary>Why the engine cannot run here, or null.</summary>
    public string? Unavailable { get; }

    protected EngineFixture(string name, params string[] tools)
    {
        Scratch = new Scratch(name);
        if (!Host.IsRoot) { Unavailable = "starts real engines: needs root"; return; }
        var missing = tools.Where(t => Host.Which(t) is null).ToList();
        if (missing.Count > 0) { Unavailable = $"not installed: {string.Join(", ", missing)} (see .ci/run)"; return; }
        try
        {
            Start();
        }
        catch (Exception e)
        {
            Unavailable = $"{name} could not be started on this machine: {e.Message}";
        }
    }

    /// <summary>Starts the engine and imports the image; throws if it cannot.</summary>
    protected abstract void Start();

    /// <summary>Skips the calling test when the engine cannot run here.</summary>
    public void Require() => Skip.If(Unavailable is not null, Unavailable);

    /// <summary>A container name no other test uses: a prefix, the runtime, and a random tail.</summary>
    public static string NewId(string what, string runtime) => $"{what}-{Runtimes.Short(runtime)}-{Guid.NewGuid().ToString("N")[..8]}";

    public void Dispose()
    {
        Scratch.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Polls until a condition holds (an engine's state catching up), up to a bound that fails the test.</summary>
    public static void WaitFor(Func<bool> condition, string what, int seconds = 30)
    {
        for (var i = 0; i < seconds * 10; i++)
        {
            if (condition()) return;
            Thread.Sleep(100);
        }
        throw new TimeoutException($"{what}: not within {seconds}s");
    }
}
