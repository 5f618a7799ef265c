namespace LibContainer.Spec;

/// <summary>
/// Turns the problems found in config.json into the one error the user sees:
/// every problem at once, so a config is fixed in one round, on one line
/// (the CLI and the JSON log print one line per error).
/// </summary>
internal static class SpecProblems
{
    // A config with a 100,000-element array of wrong types must not make a megabyte of message.
    public const int MaxListed = 50;

    public static ContainerError Error(IReadOnlyList<SpecProblem> problems, string source = "config.json")
    {
        if (problems.Count == 1) return new ContainerError($"{source}: {problems[0]}");
        var message = new System.Text.StringBuilder($"{source}: {problems.Count} problems: ");
        var listed = Math.Min(problems.Count, MaxListed);
        for (var i = 0; i < listed; i++)
        {
            if (i > 0) message.Append("; ");
            message.Append(problems[i].ToString());
        }
        if (listed < problems.Count) message.Append($"; and {problems.Count - listed} more");
        return new ContainerError(message.ToString());
    }
}
