using CsCheck;
using LibContainer.Cgroups;
using LibContainer.Cgroups.DeviceFilter;
using LibContainer.Spec;

namespace LibContainer.Tests.DeviceFilter;

/// <summary>
/// For random rule lists, the v2 device program answers every access exactly
/// as cgroup v1 does after oci-run writes the same rules there: the program
/// runs in the test's BPF interpreter, v1 is the test's model of the kernel
/// fed DeviceRules.PlanV1's lines. Every access of a small domain is asked,
/// where the rules' numbers meet the requests'. A failure prints the rule
/// list and the CsCheck seed that reproduces it (set CsCheck_Seed to replay).
/// </summary>
public sealed class DeviceProgramPropertyTests(Xunit.Abstractions.ITestOutputHelper output)
{
    // Small numbers, so that rules and requests meet; one above int.MaxValue, a negative immediate in the program.
    private static readonly uint[] Numbers = [0, 1, 2, 3_000_000_000];

    private static readonly Gen<long?> RuleNumber = Gen.Frequency<long?>(
        (2, null),
        (1, -1),
        (1, uint.MaxValue), // "4294967295" is v1's "*"
        (2, Numbers[0]), (2, Numbers[1]), (2, Numbers[2]), (2, Numbers[3]));

    private static readonly Gen<string?> RuleType = Gen.Frequency<string?>((1, null), (1, ""), (2, "a"), (8, "b"), (12, "c"));

    // Up to four letters, repeats included: v1 reads at most three.
    private static readonly Gen<string?> RuleAccess = Gen.Frequency(
        (1, Gen.OneOf<string?>(null, "")),
        (12, Gen.String[Gen.Char["rwm"], 1, 4].Select(s => (string?)s)));

    private static readonly Gen<DeviceRule> Rule = Gen.Select(Gen.Bool, RuleType, RuleNumber, RuleNumber, RuleAccess,
        (allow, type, major, minor, access) => new DeviceRule { Allow = allow, Type = type, Major = major, Minor = minor, Access = access });

    private static readonly Gen<List<DeviceRule>> Rules = Gen.Frequency(
        (4, Rule.List[0, 14]),
        (4, Rule.List[0, 14].Select(rules => (List<DeviceRule>)[new DeviceRule { Allow = false, Access = "rwm" }, .. rules])), // as configs begin
        (1, Rule.List[0, 6].Select(rules => (List<DeviceRule>)[.. rules, .. DeviceRules.DefaultAllowed])));                   // as Effective ends

    private static readonly List<BpfInterpreter.Request> Requests = AllRequests();

    private static List<BpfInterpreter.Request> AllRequests()
    {
        uint[] numbers = [.. Numbers, 7];
        var requests = new List<BpfInterpreter.Request>();
        foreach (var type in new[] { 1, 2 })
            foreach (var major in numbers)
                foreach (var minor in numbers)
                    for (var access = 0; access <= 7; access++) // every mix of mknod, read and write, and none (an open for ioctl only)
                        requests.Add(new BpfInterpreter.Request(type, major, minor, access));
        return requests;
    }

    [Fact]
    public void The_program_allows_exactly_what_cgroup_v1_allows_after_the_same_rules()
    {
        var allowed = 0L;
        var asked = 0L;
        Rules.Sample(rules =>
        {
            var v1 = new V1DevicesModel();
            foreach (var (file, line) in DeviceRules.PlanV1(rules))
                if (!v1.Write(file, line)) throw new InvalidOperationException($"v1 refuses \"{line}\" in {file}");
            var program = BpfInstruction.Encode(DeviceProgram.Generate(DevicePolicy.FromRules(rules)));
            foreach (var r in Requests)
            {
                var expected = v1.Allows(r.Type, r.Major, r.Minor, r.Access);
                if (BpfInterpreter.Allows(program, r) != expected)
                    throw new InvalidOperationException($"{r}: v1 {(expected ? "allows" : "denies")} it, the program does not\n"
                        + string.Join("\n", BpfInterpreter.Disassemble(program)));
                if (expected) Interlocked.Increment(ref allowed);
                Interlocked.Increment(ref asked);
            }
        }, writeLine: output.WriteLine, iter: 3000, print: Print);
        // Both answers must be common, or the property would say little.
        output.WriteLine($"{asked} accesses asked, {allowed} allowed");
        allowed.Should().BeInRange(asked / 10, asked - asked / 10);
    }

    private static string Print(List<DeviceRule> rules)
    {
        var lines = new List<string>();
        foreach (var (file, line) in DeviceRules.PlanV1(rules)) lines.Add($"{line} > {file}");
        return string.Join("; ", lines);
    }
}
