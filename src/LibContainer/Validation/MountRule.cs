using LibContainer.Kernel;
using LibContainer.Spec;

namespace LibContainer.Validation;

/// <summary>mounts: absolute destinations, no idmapped mounts, options this runtime can do.</summary>
internal sealed class MountRule : IRule
{
    public void Check(RuntimeSpec spec, ProblemList problems)
    {
        var mounts = spec.Mounts ?? [];
        for (var i = 0; i < mounts.Count; i++)
        {
            var m = mounts[i];
            var where = $"mounts[{i}]";
            if (string.IsNullOrEmpty(m.Destination) || !m.Destination.StartsWith('/'))
                problems.Add($"{where}.destination", $"must be an absolute path, not {ValueText.Quoted(m.Destination)}");
            if (m.UidMappings is { Count: > 0 } || m.GidMappings is { Count: > 0 })
                problems.NotYet($"{where}.uidMappings/gidMappings (idmapped mounts)");
            if (MountOptions.Problem(m.Options) is { } problem) problems.Add($"{where}.options", problem);
        }
    }
}
