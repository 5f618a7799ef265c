using LibContainer.Interop;

namespace LibContainer.Security.Seccomp;

/// <summary>What `features` says of seccomp: the names this build takes, and the flags this kernel has.</summary>
public static unsafe class SeccompFeatures
{
    public static List<string> Actions()
    {
        var names = new List<string>();
        foreach (var (name, _) in SeccompNames.Actions) names.Add(name);
        return names;
    }

    public static List<string> Operators() => Names(SeccompNames.Operators);

    public static List<string> Architectures() => Names(SeccompNames.Architectures);

    public static List<string> KnownFlags() => Names(SeccompNames.Flags);

    /// <summary>The flags a filter can be loaded with here: TSYNC always (every filter is), the others when the kernel has them.</summary>
    public static List<string> SupportedFlags()
    {
        var names = new List<string>();
        foreach (var (name, bit) in SeccompNames.Flags)
            if (SeccompSyscall.KernelHasFlag(bit)) names.Add(name);
        return names;
    }

    public static string LibseccompVersion()
    {
        var v = LibSeccomp.seccomp_version();
        return $"{v->Major}.{v->Minor}.{v->Micro}";
    }

    private static List<string> Names<T>(IReadOnlyList<(string Name, T Value)> table)
    {
        var names = new List<string>(table.Count);
        foreach (var (name, _) in table) names.Add(name);
        return names;
    }
}
