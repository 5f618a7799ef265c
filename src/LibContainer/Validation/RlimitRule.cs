using LibContainer.Kernel;
using LibContainer.Spec;

namespace LibContainer.Validation;

/// <summary>process.rlimits: known names, each once, soft at most hard.</summary>
internal sealed class RlimitRule : IRule
{
    public void Check(RuntimeSpec spec, ProblemList problems)
    {
        var rlimits = spec.Process?.Rlimits ?? [];
        var seen = new HashSet<string>();
        for (var i = 0; i < rlimits.Count; i++)
        {
            var r = rlimits[i];
            var where = $"process.rlimits[{i}]";
            if (r.Type is null || RlimitNames.Number(r.Type) is null) problems.Add($"{where}.type", $"unknown rlimit {ValueText.Quoted(r.Type)}");
            else if (!seen.Add(r.Type)) problems.Add($"{where}.type", $"{r.Type} is set twice");
            if (r.Soft > r.Hard) problems.Add(where, $"soft limit {r.Soft} is above hard limit {r.Hard}");
        }
    }
}
