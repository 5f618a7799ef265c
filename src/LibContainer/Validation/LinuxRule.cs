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
        if (linux.NetDevices is { Count: > 0 } devices)
        {
            // runc's rules: a network namespace to move them into, and names the kernel takes.
            if (!(linux.Namespaces ?? []).Exists(ns => ns.Type == "network"))
                problems.Add("linux.netDevices", "moving network devices needs a network namespace in linux.namespaces");
            foreach (var (name, device) in devices)
            {
                if (!IsDeviceName(name)) problems.Add($"linux.netDevices[\"{name}\"]", $"{ValueText.Quoted(name)} is not a network device name (1 to 15 characters, no '/', ':' or space)");
                if (!string.IsNullOrEmpty(device.Name) && !IsDeviceName(device.Name))
                    problems.Add($"linux.netDevices[\"{name}\"].name", $"{ValueText.Quoted(device.Name)} is not a network device name (1 to 15 characters, no '/', ':' or space)");
            }
        }
        if (!string.IsNullOrEmpty(linux.RootfsPropagation) && MountOptions.ParsePropagation(linux.RootfsPropagation) is null)
            problems.Add("linux.rootfsPropagation", $"unknown propagation {ValueText.Quoted(linux.RootfsPropagation)}");
    }

    // The kernel's rule for an interface name (IFNAMSIZ less the NUL), and runc's characters.
    private static bool IsDeviceName(string name) =>
        name.Length is > 0 and <= 15 && name is not ("." or "..") && name.IndexOfAny(['/', ':', ' ']) < 0;
}
