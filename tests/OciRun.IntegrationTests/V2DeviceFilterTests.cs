using System.Runtime.Versioning;
using LibContainer.Cgroups;
using LibContainer.Cgroups.DeviceFilter;
using LibContainer.Spec;
using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

/// <summary>
/// The cgroup v2 device program (LibContainer's V2DeviceFilter, called
/// directly: no command uses it yet) on a real cgroup of the host's v2
/// hierarchy, with shells placed in it. On a hybrid host the program applies
/// as well: the kernel runs a cgroup2 device program before the v1 controller.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class V2DeviceFilterTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly List<ScratchCgroup> _cgroups = [];

    public void Dispose()
    {
        foreach (var cgroup in _cgroups) cgroup.Dispose();
    }

    private ScratchCgroup NewCgroup(CgroupHierarchy hierarchy)
    {
        var cgroup = new ScratchCgroup(hierarchy, $"bpf-{Guid.NewGuid().ToString("N")[..10]}");
        _cgroups.Add(cgroup);
        return cgroup;
    }

    private static CgroupHierarchy V2()
    {
        var v2 = HostCgroups.Hierarchies.FirstOrDefault(h => h.IsV2);
        Skip.If(v2 is null, "the host mounts no cgroup2 hierarchy");
        return v2!;
    }

    private static List<DeviceRule> Rules(params string[] rules) => rules.Select(text =>
    {
        // "deny a" or "allow c 1:3 rwm"
        var parts = text.Split(' ');
        var numbers = parts.Length > 2 ? parts[2].Split(':') : ["*", "*"];
        return new DeviceRule
        {
            Allow = parts[0] == "allow",
            Type = parts[1],
            Major = numbers[0] == "*" ? null : long.Parse(numbers[0]),
            Minor = numbers[1] == "*" ? null : long.Parse(numbers[1]),
            Access = parts.Length > 3 ? parts[3] : "rwm",
        };
    }).ToList();

    /// <summary>What an open of the device in the cgroup gives: "ok", or the shell's error ("... Operation not permitted").</summary>
    private static string Open(ScratchCgroup cgroup, string device, string redirection)
    {
        var result = cgroup.Shell($"exec 3{redirection}{device} && echo ok");
        return result.ExitCode == 0 ? result.Stdout.Trim() : result.Stderr.Trim();
    }

    [RootFact]
    public void A_program_allows_only_the_devices_of_its_rules_and_a_new_one_replaces_it()
    {
        var cgroup = NewCgroup(V2());
        Open(cgroup, "/dev/zero", "<").Should().Be("ok", "without a program every device opens");

        V2DeviceFilter.Apply(cgroup.Dir, Rules("deny a", "allow c 1:3 rwm"));
        Open(cgroup, "/dev/null", "<>").Should().Be("ok");
        Open(cgroup, "/dev/zero", "<").Should().EndWith("Operation not permitted");
        Open(cgroup, "/dev/full", ">").Should().EndWith("Operation not permitted");
        var first = DeviceProgramAttacher.AttachedProgramIds(cgroup.Dir);
        first.Should().ContainSingle();

        V2DeviceFilter.Apply(cgroup.Dir, Rules("deny a", "allow c 1:3 rwm", "allow c 1:5 r"));
        Open(cgroup, "/dev/null", "<>").Should().Be("ok");
        Open(cgroup, "/dev/zero", "<").Should().Be("ok", "the new rules allow reading 1:5");
        Open(cgroup, "/dev/zero", ">").Should().EndWith("Operation not permitted", "but not writing it");
        Open(cgroup, "/dev/full", "<").Should().EndWith("Operation not permitted");
        DeviceProgramAttacher.AttachedProgramIds(cgroup.Dir).Should().ContainSingle("the new program replaced the old")
            .Which.Should().NotBe(first[0]);

        V2DeviceFilter.Apply(cgroup.Dir, []);
        Open(cgroup, "/dev/full", "<>").Should().Be("ok", "no rules allow everything, and the replacement widens too");
        DeviceProgramAttacher.AttachedProgramIds(cgroup.Dir).Should().ContainSingle();
    }

    [RootFact]
    public void The_default_rules_give_a_container_its_basic_devices_and_nothing_else()
    {
        var cgroup = NewCgroup(V2());
        var spec = new RuntimeSpec { Linux = new Linux { Resources = new Resources { Devices = Rules("deny a") } } };
        V2DeviceFilter.Apply(cgroup.Dir, DeviceRules.Effective(spec));

        foreach (var device in new[] { "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom" })
            Open(cgroup, device, "<>").Should().Be("ok", device);
        var node = Path.Combine(Path.GetTempPath(), $"ocirun-bpf-{Guid.NewGuid():N}");
        try
        {
            cgroup.Shell($"mknod '{node}' c 1 4 && echo made").Stdout.Should().Be("made\n", "mknod of any char device is a default rule");
            Open(cgroup, node, "<").Should().EndWith("Operation not permitted", "/dev/port (1:4) is not allowed");
        }
        finally
        {
            File.Delete(node);
        }
    }

    [RootFact]
    public void A_directory_outside_the_v2_hierarchy_is_refused_with_the_reason()
    {
        var apply = () => V2DeviceFilter.Apply(Path.GetTempPath(), Rules("deny a"));
        apply.Should().Throw<LibContainer.ContainerError>()
            .WithMessage("linux.resources.devices: list the device programs of cgroup *: not a directory of the cgroup v2 hierarchy");
    }

    /// <summary>
    /// The same random rule lists written to a v1 devices cgroup (as oci-run
    /// does on v1) and turned into a program on a v2 cgroup: the kernel gives
    /// the same answer to every open and mknod in both. Needs a hybrid host.
    /// </summary>
    [RootFact]
    public void The_kernel_answers_alike_under_the_v1_rules_and_under_the_program()
    {
        var v1Devices = HostCgroups.V1("devices");
        Skip.If(v1Devices is null, "the host has no cgroup v1 devices hierarchy to compare with");
        var v2 = V2();
        var random = new Random(20261203);
        var answers = new System.Text.StringBuilder();
        for (var round = 0; round < 12; round++)
        {
            var rules = RandomRules(random);
            var v1 = NewCgroup(v1Devices!);
            foreach (var (file, line) in DeviceRules.PlanV1(rules))
                File.WriteAllText(Path.Combine(v1.Dir, file), line);
            var program = NewCgroup(v2);
            V2DeviceFilter.Apply(program.Dir, rules);

            var lines = string.Join("; ", DeviceRules.PlanV1(rules).Select(w => $"{w.File[8..]} {w.Line}"));
            var underV1 = Probe(v1);
            output.WriteLine($"{underV1}  {lines}");
            Probe(program).Should().Be(underV1, $"the rules were: {lines}");
            answers.Append(underV1);
        }
        answers.ToString().Should().Contain("y").And.Contain("n", "the rounds must allow some accesses and deny others, or they compare little");
    }

    private static List<DeviceRule> RandomRules(Random random)
    {
        var rules = new List<DeviceRule>();
        if (random.Next(2) == 0) rules.Add(new DeviceRule { Allow = false, Access = "rwm" });
        for (var i = random.Next(1, 8); i > 0; i--)
        {
            rules.Add(new DeviceRule
            {
                Allow = random.Next(2) == 0,
                // Few patterns, so that later rules often edit what earlier ones made, on the devices Probe tries.
                Type = random.Next(10) switch { 0 => "a", < 3 => "b", _ => "c" },
                Major = random.Next(4) switch { 0 => null, 3 => 8, _ => 1 },
                Minor = random.Next(4) switch { 0 => null, 1 => 3, 2 => 5, _ => 7 },
                Access = new string(Enumerable.Range(0, random.Next(1, 5)).Select(_ => "rwm"[random.Next(3)]).ToArray()),
            });
        }
        return rules;
    }

    /// <summary>One letter per access tried in the cgroup: y (allowed), n (EPERM), or ? (another failure).</summary>
    private static string Probe(ScratchCgroup cgroup)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"ocirun-bpf-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            // "command" keeps a failed exec redirection from ending the shell. Stderr goes to a file and is read
            // by builtins: in a cgroup that may not write /dev/null, 2>/dev/null would itself fail.
            var script = $"D='{dir}'\n"
                + "t() { if command eval \"$1\" 2>\"$D/err\"; then printf y; else read -r why <\"$D/err\"; case $why in *'not permitted'*) printf n;; *) printf '?';; esac; fi; exec 3>&-; }\n"
                + "for dev in null zero full random urandom; do t \"exec 3</dev/$dev\"; t \"exec 3>/dev/$dev\"; t \"exec 3<>/dev/$dev\"; done\n"
                + "t \"mknod $D/c13 c 1 3\"; t \"mknod $D/b80 b 8 0\"\n";
            var result = cgroup.Shell(script);
            result.ExitCode.Should().Be(0, result.ToString());
            return result.Stdout;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
