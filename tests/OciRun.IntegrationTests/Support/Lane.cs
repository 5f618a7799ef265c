namespace OciRun.IntegrationTests.Support;

/// <summary>One check's outcome in a lane: "pass", "fail" or "skip", and its message.</summary>
public sealed record LaneResult(string Status, string Message);

/// <summary>
/// A lane under tests/Lanes (a script that sets up a host this machine is not
/// and runs checks there with oci-run and runc): run once, on first use, with
/// the binary under test; its LANE-RESULT lines kept by runtime and check. A
/// test class's fixture, so one run serves all of the class's tests.
/// </summary>
public abstract class Lane(string name, string script, int timeoutSeconds)
{
    private readonly Lazy<Outcome> _outcome = new(() => Run(script, timeoutSeconds));

    private sealed record Outcome(Dictionary<(string Runtime, string Check), LaneResult> Results, string? Unavailable, RunResult Lane);

    /// <summary>
    /// The result of a check with a runtime ("lane" for the lane's own results).
    /// The test is skipped when the lane cannot run on this machine, and fails
    /// with the lane's output when the check has no result (the lane broke, or
    /// the check is not in its checks.sh).
    /// </summary>
    public LaneResult Result(string runtime, string check)
    {
        var outcome = _outcome.Value;
        Skip.If(outcome.Unavailable is not null, $"{name} cannot run here: {outcome.Unavailable}");
        Skip.If(runtime == "runc" && outcome.Lane.Stdout.Contains("LANE-INFO runc is not installed"), "runc is not installed");
        if (outcome.Results.TryGetValue((runtime, check), out var result)) return result;
        throw new Xunit.Sdk.XunitException($"{name} gave no result for {check} with {runtime}; lane.sh: {outcome.Lane}");
    }

    /// <summary>Asserts that a check passed with a runtime; a check that skipped itself skips the test.</summary>
    public void Passes(string runtime, string check)
    {
        var result = Result(runtime, check);
        Skip.If(result.Status == "skip", result.Message);
        result.Status.Should().Be("pass", $"{check} with {runtime} in {name}: {result.Message}");
    }

    /// <summary>
    /// Skips, saying why, when the lane's VM stalled (printed nothing for minutes: a guest
    /// task the kernel could not kill) and was booted again; the results are the second boot's.
    /// </summary>
    public void RanInOneBoot()
    {
        Result("lane", "pure-v2"); // skips where the lane cannot run
        var stall = _outcome.Value.Lane.Stdout.Split('\n').FirstOrDefault(l => l.StartsWith("LANE-STALL"));
        Skip.If(stall is not null, $"{name}'s first VM stalled and was booted again: {stall}");
    }

    /// <summary>Every check the lane reported, with each runtime.</summary>
    public IReadOnlyCollection<(string Runtime, string Check)> Reported => _outcome.Value.Results.Keys;

    // script: the lane's command line under tests/Lanes, e.g. "Systemd/lane.sh --cgroup-v2".
    private static Outcome Run(string script, int timeoutSeconds)
    {
        var lanes = Path.Combine(Runtime.RepoRoot, "tests", "Lanes");
        var run = Runtime.Shell($"OCIRUN_BIN='{Runtime.Binary}' exec '{lanes}'/{script}", timeoutSeconds);
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
