using LibContainer.Spec;

namespace LibContainer.Validation;

/// <summary>root.path names the container's root filesystem.</summary>
internal sealed class RootRule : IRule
{
    public void Check(RuntimeSpec spec, ProblemList problems)
    {
        if (string.IsNullOrEmpty(spec.Root?.Path)) problems.Add("root.path", "missing");
    }
}
