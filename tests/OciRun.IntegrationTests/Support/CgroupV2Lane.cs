namespace OciRun.IntegrationTests.Support;

/// <summary>One check's outcome in the cgroup v2 lane: "pass", "fail" or "skip", and its message.</summary>
public sealed record LaneResult(string Status, string Message);

/// <summary>
/// The cgroup v2 lane (tests/Lanes/CgroupV2/lane.sh): one VM boot, on first
/// use, runs every check with the binary under test and with runc, and keeps
/// the LANE-RESULT lines by runtime and check. Shared by a test class as its
/// fixture, so the VM boots once for all of its tests.
/// </summary>
public sealed class CgroupV2Lane
{
    // lane.sh stops its VM after 480 s; this only guards against lane.sh itself hanging.
    private const int TimeoutSeconds = 560;

    private readonly Lazy<Outcome> _outcome = new(Run);

    private sealed record Outcome(Dictionary<(string Runtime, string Check), LaneResult> Results, string? Unavailable, RunResult Lane);

    /// <summary>
    /// The result of a check with a runtime. The test is skipped when the lane
    /// cannot run on this machine, and fails with the lane's output when the
    /// check has no result (the VM did not boot, or the check is not in checks.sh).
    /// </summary>
    public LaneResult Result(string runtime, string check)
    {
        var outcome = _outcome.Value;
        Skip.If(outcome.Unavailable is not null, $"the cgroup v2 lane cannot run here: {outcome.Unavailable}");
        Skip.If(runtime == "runc" && outcome.Lane.Stdout.Contains("LANE-INFO runc is not installed"), "runc is not installed");
        if (outcome.Results.TryGetValue((runtime, check), out var result)) return result;
        throw new Xunit.Sdk.XunitException($"the lane gave no result for {check} with {runtime}; lane.sh: {outcome.Lane}");
    }

    /// <summary>Every check the lane reported, with each runtime.</summary>
    public IReadOnlyCollection<(string Runtime, string Check)> Reported => _outcome.Value.Results.Keys;

    private static Outcome Run()
    {
        var lane = Path.Combine(Runtime.RepoRoot, "tests", "Lanes", "CgroupV2", "lane.sh");
        var run = Runtime.Shell($"OCIRUN_BIN='{Runtime.Binary}' exec '{lane}'", TimeoutSeconds);
        var results = new Dictionary<(string, string), LaneResult>();
        string? unavailable = null;
        foreach (var line in run.Stdout.Split('\n'))
        {
            // "LANE-RESULT RUNTIME CHECK STATUS MESSAGE"
            var fields = line.Split(' ', 5);
            if (fields[0] == "LANE-RESULT" && fields.Length >= 4)
                results[(fields[1], fields[2])] = new LaneResult(fields[3], fields.Length == 5 ? fields[4] : "");
            else if (fields[0] == "LANE-UNAVAILABLE")
                unavailable = line["LANE-UNAVAILABLE".Length..].Trim();
        }
        return new Outcome(results, unavailable, run);
    }
}
