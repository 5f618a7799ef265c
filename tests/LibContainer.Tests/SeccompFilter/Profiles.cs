using LibContainer.Spec;
using SeccompConfig = LibContainer.Spec.Seccomp;

namespace LibContainer.Tests.SeccompFilter;

/// <summary>The seccomp profiles Docker 20.10 and podman 4.3 sent (tests/EngineConfigs), and small profiles built in code.</summary>
internal static class Profiles
{
    public static SeccompConfig Docker => Engine("docker-20.10-plain.json");

    public static SeccompConfig Podman => Engine("podman-4.3-plain.json");

    private static SeccompConfig Engine(string file) =>
        SpecLoader.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Configs", file))).Linux!.Seccomp!;

    /// <summary>A profile with the given default and entries, for x86_64 and x86.</summary>
    public static SeccompConfig Of(string defaultAction, params SeccompSyscall[] syscalls) => new()
    {
        DefaultAction = defaultAction,
        Architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
        Syscalls = [.. syscalls],
    };

    public static SeccompSyscall Entry(string action, params string[] names) => new() { Names = [.. names], Action = action };

    public static SeccompArg Arg(uint index, string op, ulong value, ulong valueTwo = 0) => new() { Index = index, Op = op, Value = value, ValueTwo = valueTwo };
}
