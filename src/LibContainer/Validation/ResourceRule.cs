using LibContainer.Spec;

namespace LibContainer.Validation;

/// <summary>linux.resources: well-formed device rules; the other controllers are not done yet.</summary>
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
        // Records compare by value: a section equal to an empty one asks for nothing.
        if (r.Memory is not null && r.Memory != new MemoryResources()) problems.NotYet("linux.resources.memory");
        if (r.Cpu is not null && r.Cpu != new CpuResources()) problems.NotYet("linux.resources.cpu");
        if (r.Pids is not null && r.Pids != new PidsResources()) problems.NotYet("linux.resources.pids");
        if (r.BlockIO is { } b && (b.Weight is not null || b.LeafWeight is not null || b.WeightDevice is { Count: > 0 }
            || b.ThrottleReadBpsDevice is { Count: > 0 } || b.ThrottleWriteBpsDevice is { Count: > 0 }
            || b.ThrottleReadIOPSDevice is { Count: > 0 } || b.ThrottleWriteIOPSDevice is { Count: > 0 }))
            problems.NotYet("linux.resources.blockIO");
        if (r.HugepageLimits is { Count: > 0 }) problems.NotYet("linux.resources.hugepageLimits");
        if (r.Network is { } n && (n.ClassId is not null || n.Priorities is { Count: > 0 })) problems.NotYet("linux.resources.network");
        if (r.Rdma is { Count: > 0 }) problems.NotYet("linux.resources.rdma");
        if (r.Unified is { Count: > 0 }) problems.NotYet("linux.resources.unified");
    }
}
