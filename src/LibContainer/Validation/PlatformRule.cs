using LibContainer.Spec;

namespace LibContainer.Validation;

/// <summary>The config is for a Linux container: the other platforms' sections are refused by name.</summary>
internal sealed class PlatformRule : IRule
{
    public void Check(RuntimeSpec spec, ProblemList problems)
    {
        if (spec.Linux is null) problems.Add("linux", "missing: oci-run runs Linux containers");
        if (spec.Windows is not null) problems.Add("windows", "not supported on Linux");
        if (spec.Solaris is not null) problems.Add("solaris", "not supported on Linux");
        if (spec.Vm is not null) problems.NotYet("vm");
        if (spec.Zos is not null) problems.Add("zos", "not supported on Linux");
    }
}
