using LibContainer.Kernel;
using LibContainer.Spec;

namespace LibContainer.Validation;

/// <summary>
/// linux.namespaces: known types, each once, absolute paths, and the
/// namespaces other fields need (mount for the rootfs, uts for the names).
/// </summary>
internal sealed class NamespaceRule : IRule
{
    public void Check(RuntimeSpec spec, ProblemList problems)
    {
        var list = spec.Linux?.Namespaces ?? [];
        var seen = new HashSet<string>();
        for (var i = 0; i < list.Count; i++)
        {
            var ns = list[i];
            var where = $"linux.namespaces[{i}]";
            if (ns.Type is null || !NamespaceTypes.CloneFlags.ContainsKey(ns.Type))
            {
                problems.Add($"{where}.type", $"unknown namespace type {ValueText.Quoted(ns.Type)}");
                continue;
            }
            if (!seen.Add(ns.Type)) problems.Add($"{where}.type", $"namespace {ValueText.Quoted(ns.Type)} is listed twice");
            if (ns.Path is { Length: > 0 } path && !path.StartsWith('/'))
                problems.Add($"{where}.path", $"must be absolute, not {ValueText.Quoted(path)}");
        }
        if (spec.Linux?.TimeOffsets is { Count: > 0 } offsets)
        {
            // Offsets are set as a new time namespace is made; one joined by path has its own.
            if (!list.Exists(ns => ns.Type == "time" && string.IsNullOrEmpty(ns.Path)))
                problems.Add("linux.timeOffsets", "needs a new time namespace in linux.namespaces (one without a path)");
            foreach (var (clock, offset) in offsets)
            {
                if (clock is not ("monotonic" or "boottime"))
                    problems.Add($"linux.timeOffsets.{clock}", "unknown clock: a time namespace offsets \"monotonic\" and \"boottime\"");
                else if (offset.Nanosecs >= 1_000_000_000)
                    problems.Add($"linux.timeOffsets.{clock}.nanosecs", $"{offset.Nanosecs} is not under 1000000000");
            }
        }
        if (spec.Linux is not null && !seen.Contains("mount"))
            problems.Add("linux.namespaces", "a mount namespace is required to set up the root filesystem");
        if (!string.IsNullOrEmpty(spec.Hostname) && !seen.Contains("uts"))
            problems.Add("hostname", "setting the hostname needs a UTS namespace in linux.namespaces");
        if (!string.IsNullOrEmpty(spec.Domainname) && !seen.Contains("uts"))
            problems.Add("domainname", "setting the domain name needs a UTS namespace in linux.namespaces");
    }
}
