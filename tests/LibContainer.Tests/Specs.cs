using LibContainer.Spec;

namespace LibContainer.Tests;

/// <summary>Small builders for RuntimeSpec records: a valid minimal spec, changed with `with`.</summary>
internal static class Specs
{
    /// <summary>The smallest spec the validator accepts: sh in /, rootfs, a mount and a UTS namespace.</summary>
    public static RuntimeSpec Valid() => new()
    {
        OciVersion = "1.2.1",
        Process = new Process { Args = ["sh"], Cwd = "/" },
        Root = new Root { Path = "rootfs" },
        Linux = new Linux { Namespaces = Namespaces("mount", "uts") },
    };

    public static RuntimeSpec WithProcess(Func<Process, Process> change)
    {
        var spec = Valid();
        return spec with { Process = change(spec.Process!) };
    }

    public static RuntimeSpec WithLinux(Func<Linux, Linux> change)
    {
        var spec = Valid();
        return spec with { Linux = change(spec.Linux!) };
    }

    public static RuntimeSpec WithResources(Resources resources) => WithLinux(l => l with { Resources = resources });

    public static List<Namespace> Namespaces(params string[] types) => types.Select(t => new Namespace { Type = t }).ToList();
}
