using LibContainer.Security.Seccomp;
using LibContainer.Spec;

namespace LibContainer.Validation;

/// <summary>linux.seccomp: what SeccompPlan finds wrong (names, errnos, argument conditions, flags), each with its path.</summary>
internal sealed class SeccompRule : IRule
{
    public void Check(RuntimeSpec spec, ProblemList problems)
    {
        if (spec.Linux?.Seccomp is not { } seccomp) return;
        foreach (var problem in SeccompPlan.Problems(seccomp)) problems.Add(problem.Path, problem.Message);
    }
}
