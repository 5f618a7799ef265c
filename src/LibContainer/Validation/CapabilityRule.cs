using LibContainer.Kernel;
using LibContainer.Spec;

namespace LibContainer.Validation;

/// <summary>process.capabilities: every name in every set is a capability the kernel has.</summary>
internal sealed class CapabilityRule : IRule
{
    public void Check(RuntimeSpec spec, ProblemList problems)
    {
        if (spec.Process?.Capabilities is not { } caps) return;
        CheckSet(caps.Bounding, "bounding", problems);
        CheckSet(caps.Effective, "effective", problems);
        CheckSet(caps.Inheritable, "inheritable", problems);
        CheckSet(caps.Permitted, "permitted", problems);
        CheckSet(caps.Ambient, "ambient", problems);
    }

    private static void CheckSet(List<string>? names, string set, ProblemList problems)
    {
        for (var i = 0; i < (names?.Count ?? 0); i++)
            if (CapabilityNames.Number(names![i]) is null)
                problems.Add($"process.capabilities.{set}[{i}]", $"unknown capability {ValueText.Quoted(names[i])}");
    }
}
