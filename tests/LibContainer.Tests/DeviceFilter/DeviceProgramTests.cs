using LibContainer.Cgroups;
using LibContainer.Cgroups.DeviceFilter;
using LibContainer.Spec;
using static LibContainer.Tests.DeviceFilter.DeviceRulesText;

namespace LibContainer.Tests.DeviceFilter;

/// <summary>The device program generated from rules, read back and run by the test's own BPF interpreter.</summary>
public sealed class DeviceProgramTests
{
    private const int Block = 1, Char = 2, Mknod = 1, Read = 2, Write = 4;

    private static byte[] Program(IEnumerable<DeviceRule> rules) =>
        BpfInstruction.Encode(DeviceProgram.Generate(DevicePolicy.FromRules(rules)));

    private static bool Allows(IEnumerable<DeviceRule> rules, int type, uint major, uint minor, int access) =>
        BpfInterpreter.Allows(Program(rules), new BpfInterpreter.Request(type, major, minor, access));

    [Fact]
    public void The_default_spec_gives_a_deny_by_default_program_that_allows_the_basic_devices()
    {
        var rules = DeviceRules.Effective(DefaultSpec.Create());

        BpfInterpreter.Disassemble(Program(rules)).Should().Equal(
            "r2 = *(u32 *)(r1 + 0)", // access_type
            "w3 = w2",
            "w3 >>= 16",             // access
            "w2 &= 0xffff",          // type
            "r4 = *(u32 *)(r1 + 4)", // major
            "r5 = *(u32 *)(r1 + 8)", // minor
            // c *:* m
            "if w2 != 0x2 goto +3", "if w3 & 0xfffffffe goto +2", "w0 = 1", "exit",
            // b *:* m
            "if w2 != 0x1 goto +3", "if w3 & 0xfffffffe goto +2", "w0 = 1", "exit",
            // c 1:3 rwm, 1:8, 1:7, 5:0, 1:5, 1:9, 5:1
            "if w2 != 0x2 goto +5", "if w4 != 0x1 goto +4", "if w5 != 0x3 goto +3", "if w3 & 0xfffffff8 goto +2", "w0 = 1", "exit",
            "if w2 != 0x2 goto +5", "if w4 != 0x1 goto +4", "if w5 != 0x8 goto +3", "if w3 & 0xfffffff8 goto +2", "w0 = 1", "exit",
            "if w2 != 0x2 goto +5", "if w4 != 0x1 goto +4", "if w5 != 0x7 goto +3", "if w3 & 0xfffffff8 goto +2", "w0 = 1", "exit",
            "if w2 != 0x2 goto +5", "if w4 != 0x5 goto +4", "if w5 != 0x0 goto +3", "if w3 & 0xfffffff8 goto +2", "w0 = 1", "exit",
            "if w2 != 0x2 goto +5", "if w4 != 0x1 goto +4", "if w5 != 0x5 goto +3", "if w3 & 0xfffffff8 goto +2", "w0 = 1", "exit",
            "if w2 != 0x2 goto +5", "if w4 != 0x1 goto +4", "if w5 != 0x9 goto +3", "if w3 & 0xfffffff8 goto +2", "w0 = 1", "exit",
            "if w2 != 0x2 goto +5", "if w4 != 0x5 goto +4", "if w5 != 0x1 goto +3", "if w3 & 0xfffffff8 goto +2", "w0 = 1", "exit",
            // c 136:* rwm
            "if w2 != 0x2 goto +4", "if w4 != 0x88 goto +3", "if w3 & 0xfffffff8 goto +2", "w0 = 1", "exit",
            // c 5:2 rwm, c 10:200 rwm
            "if w2 != 0x2 goto +5", "if w4 != 0x5 goto +4", "if w5 != 0x2 goto +3", "if w3 & 0xfffffff8 goto +2", "w0 = 1", "exit",
            "if w2 != 0x2 goto +5", "if w4 != 0xa goto +4", "if w5 != 0xc8 goto +3", "if w3 & 0xfffffff8 goto +2", "w0 = 1", "exit",
            // anything else
            "w0 = 0", "exit");

        Allows(rules, Char, 1, 3, Read | Write).Should().BeTrue("/dev/null");
        Allows(rules, Char, 136, 7, Read | Write).Should().BeTrue("a pts");
        Allows(rules, Block, 8, 0, Mknod).Should().BeTrue("mknod of any device");
        Allows(rules, Block, 8, 0, Read).Should().BeFalse("a disk");
        Allows(rules, Char, 10, 229, Read).Should().BeFalse("/dev/fuse");
    }

    [Fact]
    public void Instructions_are_encoded_as_the_kernel_reads_them()
    {
        BpfInstruction.Encode([
            BpfInstruction.LoadWord(4, 1, 4),
            BpfInstruction.JumpIfNotEqual32(5, -2, 3),
            BpfInstruction.Exit(),
        ]).Should().Equal(
            0x61, 0x14, 4, 0, 0, 0, 0, 0,                // ldxw r4, [r1 + 4]: src in the high nibble
            0x56, 0x05, 3, 0, 0xfe, 0xff, 0xff, 0xff,    // jne32 w5, -2, +3: little-endian offset and immediate
            0x95, 0, 0, 0, 0, 0, 0, 0);                 // exit
    }

    [Fact]
    public void Without_rules_everything_is_allowed()
    {
        BpfInterpreter.Disassemble(Program([])).Skip(6).Should().Equal("w0 = 1", "exit");
        Allows([], Block, 8, 0, Read | Write | Mknod).Should().BeTrue();
    }

    [Fact]
    public void Deny_all_then_allow_one_device()
    {
        var rules = Parse("deny a", "allow c 1:3 rwm");
        Allows(rules, Char, 1, 3, Read | Write).Should().BeTrue();
        Allows(rules, Char, 1, 5, Read).Should().BeFalse();
        Allows(rules, Block, 1, 3, Read).Should().BeFalse("a block device of the same numbers is another device");
    }

    [Fact]
    public void Under_allow_by_default_a_denial_blocks_every_request_that_asks_for_any_of_its_access()
    {
        // v1 denies "rw" when only "w" is denied (measured); a rule that must hold all the access asked for would allow it.
        var rules = Parse("deny c 1:3 w");
        Allows(rules, Char, 1, 3, Read | Write).Should().BeFalse();
        Allows(rules, Char, 1, 3, Write).Should().BeFalse();
        Allows(rules, Char, 1, 3, Read).Should().BeTrue();
    }

    [Fact]
    public void Under_deny_by_default_one_allowance_must_hold_all_the_access_asked_for()
    {
        var rules = Parse("deny a", "allow c 1:* r", "allow c 1:3 w");
        Allows(rules, Char, 1, 3, Read).Should().BeTrue();
        Allows(rules, Char, 1, 3, Write).Should().BeTrue();
        Allows(rules, Char, 1, 3, Read | Write).Should().BeFalse("no one rule allows both");
    }

    [Fact]
    public void A_later_rule_takes_access_away_from_the_same_pattern_only()
    {
        // As on v1: "deny c 1:3 w" does not punch a hole in "allow c 1:* rw", it only edits an exception for exactly c 1:3.
        var rules = Parse("deny a", "allow c 1:* rw", "deny c 1:3 w", "allow c 5:0 rw", "deny c 5:0 w");
        Allows(rules, Char, 1, 3, Write).Should().BeTrue();
        Allows(rules, Char, 5, 0, Write).Should().BeFalse();
        Allows(rules, Char, 5, 0, Read).Should().BeTrue();
    }

    [Fact]
    public void An_a_rule_resets_whatever_numbers_and_access_it_names()
    {
        // The kernel reads nothing after the "a" of "a 1:3 r".
        var rules = new List<DeviceRule> { new() { Allow = false, Type = "a", Major = 1, Minor = 3, Access = "r" } };
        Allows(rules, Char, 4, 0, Write).Should().BeFalse();
        Allows([.. rules, new DeviceRule { Allow = true, Access = "m" }], Char, 4, 0, Write).Should().BeTrue("an allow of type a allows all");
    }

    [Fact]
    public void Access_is_read_as_v1_reads_it_at_most_three_letters()
    {
        var rules = new List<DeviceRule> { new() { Allow = false }, new() { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rrrw" } };
        Allows(rules, Char, 1, 3, Read).Should().BeTrue();
        Allows(rules, Char, 1, 3, Write).Should().BeFalse();
    }

    [Fact]
    public void Numbers_above_int_max_and_the_kernels_wildcard_are_compared_as_unsigned()
    {
        var rules = new List<DeviceRule>
        {
            new() { Allow = false },
            new() { Allow = true, Type = "c", Major = 3_000_000_000, Minor = uint.MaxValue, Access = "r" },
        };
        Allows(rules, Char, 3_000_000_000, 12, Read).Should().BeTrue("minor 4294967295 is v1's \"*\"");
        Allows(rules, Char, 3_000_000_001, 12, Read).Should().BeFalse();
    }

    [Fact]
    public void A_rule_v1_would_refuse_is_an_error_naming_the_field()
    {
        var tooBig = () => DevicePolicy.FromRules([new DeviceRule { Allow = true, Type = "c", Major = 1L << 32, Access = "r" }]);
        tooBig.Should().Throw<ContainerError>().WithMessage("linux.resources.devices: major number 4294967296 is out of range*");
        var badType = () => DevicePolicy.FromRules([new DeviceRule { Allow = true, Type = "u" }]);
        badType.Should().Throw<ContainerError>().WithMessage("linux.resources.devices: device type \"u\" is not a, b or c");
        var badAccess = () => DevicePolicy.FromRules([new DeviceRule { Allow = true, Type = "c", Access = "rx" }]);
        badAccess.Should().Throw<ContainerError>().WithMessage("linux.resources.devices: access \"rx\" is not made of r, w and m");
    }

    [Fact]
    public void The_policy_merges_rules_on_one_pattern_and_drops_an_exception_left_with_no_access()
    {
        var policy = DevicePolicy.FromRules(Parse("deny a", "allow c 1:3 r", "allow c 1:3 w", "allow b 8:0 r", "deny b 8:0 r"));
        policy.DefaultAllow.Should().BeFalse();
        policy.Exceptions.Should().Equal(new ExceptedDevices(DeviceType.Char, 1, 3, DeviceAccess.Read | DeviceAccess.Write));
    }
}
