namespace LibContainer.Cgroups.Limits;

public enum CgroupVersion { V1 = 1, V2 = 2 }

/// <summary>
/// What a limit plan needs to know of the host: which cgroup version holds
/// each controller (null: the host has no such controller for this container),
/// and the text of a control file in that controller's directory (null: no
/// such file). Managers give the real files; unit tests give a dictionary.
/// </summary>
public sealed record CgroupFacts(Func<string, CgroupVersion?> VersionOf, Func<string, string, string?> Read)
{
    public bool Has(string controller, string file) => Read(controller, file) is not null;

    /// <summary>The version holding `controller`, or an error naming the field that needs it.</summary>
    public CgroupVersion Require(string controller, string field) =>
        VersionOf(controller) ?? throw new ContainerError($"{field}: this host has no {controller} cgroup controller for the container (not mounted, or not enabled in its cgroup v2 tree)");
}
