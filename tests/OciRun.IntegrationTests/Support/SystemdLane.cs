namespace OciRun.IntegrationTests.Support;

/// <summary>
/// The systemd lane (tests/Lanes/Systemd/lane.sh): on first use, boots one
/// container with systemd as PID 1 (started with the binary under test) and
/// runs every check in it with oci-run and runc, keeping the LANE-RESULT lines
/// by runtime and check. Shared by a test class as its fixture.
/// </summary>
public sealed class SystemdLane
{
    // The first run builds the Debian rootfs (debootstrap, ~300 MB: 4 minutes here); later runs take under
    // a minute. Under tests/run.sh's 10-minute hang limit.
    private const int TimeoutSeconds = 570;

    private readonly Lazy<Outcome> _outcome = new(Run);

    private sealed record Outcome(Dictionary<(string Runtime, string Check), LaneResult> Results, string? Unavailable, RunResult Lane);

    /// <summary>A check's result; skipped where the lane cannot run, a failure with the lane's output where the check gave none.</summary>
    public LaneResult Result(string runtime, string check)
    {
        var outcome = _outcome.Value;
        Skip.If(outcome.Unavailable is not null, $"the systemd lane cannot run here: {outcome.Unavailable}");
        Skip.If(runtime == "runc" && outcome.Lane.Stdout.Contains("LANE-INFO runc is not installed"), "runc is not installed");
        if (outcome.Results.TryGetValue((runtime, check), out var result)) return result;
        throw new Xunit.Sdk.XunitException($"the systemd lane gave no result for {check} with {runtime}; lane.sh: {outcome.Lane}");
    }

    /// <summary>Every check the lane reported, with each runtime.</summary>
    public IReadOnlyCollection<(string Runtime, string Check)> Reported => _outcome.Value.Results.Keys;

    private static Outcome Run()
    {
        var lane = Path.Combine(Runtime.RepoRoot, "tests", "Lanes", "Systemd", "lane.sh");
        var run = Runtime.Shell($"OCIRUN_BIN='{Runtime.Binary}' exec '{lane}'", TimeoutSeconds);
        var results = new Dictionary<(string, string), LaneResult>();
        string? unavailable = null;
        foreach (var line in run.Stdout.Split('\n'))
        {
            var fields = line.Split(' ', 5); // "LANE-RESULT RUNTIME CHECK STATUS MESSAGE"
            if (fields[0] == "LANE-RESULT" && fields.Length >= 4)
                results[(fields[1], fields[2])] = new LaneResult(fields[3], fields.Length == 5 ? fields[4] : "");
            else if (fields[0] == "LANE-UNAVAILABLE")
                unavailable = line["LANE-UNAVAILABLE".Length..].Trim();
        }
        return new Outcome(results, unavailable, run);
    }
}
