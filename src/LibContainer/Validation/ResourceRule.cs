using LibContainer.Spec;

namespace LibContainer.Validation;

/// <summary>linux.resources: well-formed device rules.</summary>
internal sealed class ResourceRule : IRule
{
    public void Check(RuntimeSpec spec, ProblemList problems)
    {
        if (spec.Linux?.Resources is not { } r) return;
        for (var i = 0; i < (r.Devices?.Count ?? 0); i++)
        {
            var d = r.Devices![i];
            if (d.Type is not (null or "" or "a" or "c" or "b"))
                problems.Add($"linux.resources.devices[{i}].type", $"must be a, c or b, not {ValueText.Quoted(d.Type)}");
            if (d.Access is { Length: > 0 } access && access.AsSpan().ContainsAnyExcept('r', 'w', 'm'))
                problems.Add($"linux.resources.devices[{i}].access", $"must be made of r, w and m, not {ValueText.Quoted(access)}");
        }
        // The values themselves are checked where the host is known: by the cgroup limit plan.
    }
}
