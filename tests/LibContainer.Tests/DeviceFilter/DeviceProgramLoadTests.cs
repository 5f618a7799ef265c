using LibContainer.Cgroups;
using LibContainer.Cgroups.DeviceFilter;
using LibContainer.Spec;

namespace LibContainer.Tests.DeviceFilter;

/// <summary>The kernel's verifier takes the generated programs (BPF_PROG_LOAD, then close; nothing is attached).</summary>
public sealed class DeviceProgramLoadTests
{
    public static TheoryData<string> RuleLists() => ["none", "default spec", "100 allowances", "100 denials", "big numbers"];

    private static List<DeviceRule> Rules(string name)
    {
        var many = new List<DeviceRule>();
        for (var i = 0; i < 100; i++)
            many.Add(new DeviceRule { Allow = true, Type = i % 3 == 0 ? "b" : "c", Major = i, Minor = i % 7 == 0 ? null : i * 3, Access = (i % 4) switch { 0 => "r", 1 => "rw", 2 => "m", _ => "rwm" } });
        return name switch
        {
            "none" => [],
            "default spec" => [.. DeviceRules.Effective(DefaultSpec.Create())],
            "100 allowances" => [new DeviceRule { Allow = false }, .. many],
            "100 denials" => [.. many.Select(r => r with { Allow = false })],
            "big numbers" => [new DeviceRule { Allow = false }, new DeviceRule { Allow = true, Type = "c", Major = uint.MaxValue - 1, Minor = 3_000_000_000, Access = "w" }],
            _ => throw new ArgumentException(name),
        };
    }

    [RootTheory]
    [MemberData(nameof(RuleLists))]
    public void The_kernel_loads_the_program(string ruleList)
    {
        var program = DeviceProgram.Generate(DevicePolicy.FromRules(Rules(ruleList)));
        using var loaded = DeviceProgramAttacher.Load(program);
        loaded.Value.Should().BeGreaterThan(2);
    }

    [RootFact]
    public void A_program_the_verifier_refuses_is_an_error_with_the_verifiers_reason()
    {
        // No exit: the verifier says so.
        var load = () => DeviceProgramAttacher.Load([BpfInstruction.Move32(0, 1)]);
        load.Should().Throw<ContainerError>()
            .WithMessage("linux.resources.devices: load the cgroup device program: *(verifier: *exit*)");
    }
}
