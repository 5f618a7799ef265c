using LibContainer.Spec;

namespace LibContainer.Validation;

/// <summary>
/// Checks config.json before anything is created. Every problem is reported
/// with the JSON path of the field, and a field this runtime does not
/// implement yet is an error naming it: nothing is silently ignored.
/// </summary>
public static class SpecValidator
{
    // In the order their problems are listed.
    private static readonly IRule[] Rules =
    [
        new OciVersionRule(),
        new PlatformRule(),
        new RootRule(),
        new UtsNameRule(),
        new ProcessRule(),
        new RlimitRule(),
        new CapabilityRule(),
        new NamespaceRule(),
        new UserNamespaceRule(),
        new MountRule(),
        new HookRule(),
        new LinuxRule(),
        new SeccompRule(),
        new SecurityLabelRule(),
        new LinuxDeviceRule(),
        new ResourceRule(),
        new SysctlRule(),
    ];

    /// <summary>What create does: reads, parses and validates, with every problem in one error.</summary>
    public static LoadedSpec LoadValid(string bundle)
    {
        var bytes = SpecLoader.ReadFile(bundle);
        return new LoadedSpec(ParseValid(bytes), bytes);
    }

    /// <summary>Parses and validates: the type problems and the rules', all in one error.</summary>
    public static RuntimeSpec ParseValid(ReadOnlyMemory<byte> json)
    {
        var spec = SpecLoader.Read(json, out var typeProblems);
        var problems = new List<SpecProblem>(typeProblems);
        foreach (var problem in Problems(spec))
            if (!IsUnderAny(problem, typeProblems)) problems.Add(problem);
        if (problems.Count > 0) throw SpecProblems.Error(problems);
        return spec;
    }

    public static RuntimeSpec ParseValid(string json) => ParseValid(System.Text.Encoding.UTF8.GetBytes(json));

    /// <summary>Throws one error listing every problem found.</summary>
    public static void Validate(RuntimeSpec spec)
    {
        var problems = Problems(spec);
        if (problems.Count > 0) throw SpecProblems.Error(problems);
    }

    // What `exec` checks of the process it runs: the rules about a process alone.
    private static readonly IRule[] ProcessRules = [new ProcessRule(), new RlimitRule(), new CapabilityRule(), new SecurityLabelRule()];

    /// <summary>`exec`'s process, as one error naming `source` (the process file, or config.json with the flags).</summary>
    public static void ValidateProcess(Process process, string source)
    {
        var problems = new ProblemList();
        var spec = new RuntimeSpec { Process = process };
        foreach (var rule in ProcessRules) rule.Check(spec, problems);
        if (problems.Found.Count > 0) throw SpecProblems.Error(problems.Found, source);
    }

    public static IReadOnlyList<SpecProblem> Problems(RuntimeSpec spec)
    {
        var problems = new ProblemList();
        foreach (var rule in Rules) rule.Check(spec, problems);
        return problems.Found;
    }

    // A field of the wrong type reads as absent: what a rule says about it repeats the type problem.
    private static bool IsUnderAny(SpecProblem problem, IReadOnlyList<SpecProblem> typeProblems)
    {
        foreach (var typeProblem in typeProblems)
            if (problem.IsUnder(typeProblem.Path)) return true;
        return false;
    }
}
