using LibContainer.Kernel;
using LibContainer.Spec;

namespace LibContainer.Validation;

/// <summary>The linux section's fields this runtime does not do yet, and a known rootfsPropagation.</summary>
internal sealed class LinuxRule : IRule
{
    public void Check(RuntimeSpec spec, ProblemList problems)
    {
        if (spec.Linux is not { } linux) return;
        if (linux.IntelRdt is not null) problems.NotYet("linux.intelRdt");
        if (linux.Personality is { } personality)
        {
            if (ExecutionDomain.ValueOf(personality.Domain) is null)
                problems.Add("linux.personality.domain", $"unknown domain {ValueText.Quoted(personality.Domain)}: LINUX or LINUX32");
            // The spec defines no flag yet; one given is not applied, so it is refused.
            if (personality.Flags is { Count: > 0 } flags)
                problems.Add("linux.personality.flags", $"{ValueText.Quoted(flags[0])}: no personality flag is supported");
        }
        MemoryPolicyPlan.For(linux.MemoryPolicy, problems.Add);
        if (linux.NetDevices is { Count: > 0 }) problems.NotYet("linux.netDevices");
        if (!string.IsNullOrEmpty(linux.RootfsPropagation) && MountOptions.ParsePropagation(linux.RootfsPropagation) is null)
            problems.Add("linux.rootfsPropagation", $"unknown propagation {ValueText.Quoted(linux.RootfsPropagation)}");
    }
}
