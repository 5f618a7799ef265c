using OciRun;
using OciRun.CommandLine;
using OciRun.Commands;
using LibContainer;

namespace OciRun.Tests;

public sealed class ParserTests
{
    private static readonly Verb[] Verbs = [CreateCommand.Verb, DeleteCommand.Verb, KillCommand.Verb, PsCommand.Verb, ListCommand.Verb, StateCommand.Verb];

    private static Parsed Parse(params string[] args) => Parser.Parse(args, GlobalFlags.All, Verbs);

    [Fact]
    public void Global_flags_before_the_verb_and_verb_flags_after_it()
    {
        var parsed = Parse("--root", "/r", "--log=/l", "--log-format", "json", "create", "--bundle", "/b", "--pid-file=/p", "id");
        parsed.Error.Should().BeNull();
        parsed.Verb!.Name.Should().Be("create");
        parsed.Arguments.Value("root").Should().Be("/r");
        parsed.Arguments.Value("log").Should().Be("/l");
        parsed.Arguments.Value("log-format").Should().Be("json");
        parsed.Arguments.Value("bundle").Should().Be("/b");
        parsed.Arguments.Value("pid-file").Should().Be("/p");
        parsed.Arguments.Positional.Should().Equal("id");
    }

    [Fact]
    public void Defaults_apply_when_a_flag_is_absent()
    {
        var parsed = Parse("create", "id");
        parsed.Arguments.Value("root").Should().Be(GlobalFlags.DefaultRoot);
        parsed.Arguments.Value("bundle").Should().Be(".");
        parsed.Arguments.Value("pid-file").Should().BeNull();
        parsed.Arguments.Switch("no-pivot").Should().BeFalse();
    }

    [Fact]
    public void Short_aliases_go_singledash_long_names_and_flags_after_the_id()
    {
        var parsed = Parse("-root", "/r", "delete", "id", "-f");
        parsed.Error.Should().BeNull();
        parsed.Arguments.Value("root").Should().Be("/r");
        parsed.Arguments.Switch("force").Should().BeTrue();
        parsed.Arguments.Positional.Should().Equal("id");
    }

    [Fact]
    public void Switches_take_an_explicit_true_or_false_and_nothing_else()
    {
        Parse("delete", "--force=false", "id").Arguments.Switch("force").Should().BeFalse();
        Parse("delete", "--force=true", "id").Arguments.Switch("force").Should().BeTrue();
        Parse("delete", "--force=yes", "id").Error.Should().Contain("invalid boolean value \"yes\" for --force");
    }

    [Fact]
    public void Kill_takes_an_optional_signal_and_rejects_a_third_argument()
    {
        Parse("kill", "--all", "id", "9").Arguments.Positional.Should().Equal("id", "9");
        Parse("kill", "id").Error.Should().BeNull();
        Parse("kill", "id", "9", "x").Error.Should().Contain("\"kill\" requires at most 2 argument(s)");
    }

    [Fact]
    public void Ps_hands_everything_after_the_id_to_ps()
    {
        var parsed = Parse("ps", "--format", "json", "id", "-ef", "--forest");
        parsed.Error.Should().BeNull();
        parsed.Arguments.Value("format").Should().Be("json");
        parsed.Arguments.Positional.Should().Equal("id", "-ef", "--forest");
    }

    [Fact]
    public void Double_dash_ends_the_flags()
    {
        var parsed = Parse("state", "--", "-odd-id");
        parsed.Error.Should().BeNull();
        parsed.Arguments.Positional.Should().Equal("-odd-id");
    }

    [Theory]
    [InlineData(new[] { "state" }, "\"state\" requires exactly 1 argument(s)")]
    [InlineData(new[] { "state", "a", "b" }, "\"state\" requires exactly 1 argument(s)")]
    [InlineData(new[] { "list", "extra" }, "\"list\" requires exactly 0 argument(s)")]
    [InlineData(new[] { "frobnicate" }, "unknown command \"frobnicate\"")]
    [InlineData(new[] { "state", "--bogus", "id" }, "state: flag provided but not defined: --bogus")]
    [InlineData(new[] { "--bogus", "state", "id" }, "flag provided but not defined: --bogus")]
    [InlineData(new[] { "create", "id", "--bundle" }, "flag needs an argument: --bundle")]
    public void Bad_command_lines_say_what_is_wrong(string[] args, string message) =>
        Parse(args).Error.Should().Contain(message);

    [Fact]
    public void Help_is_noticed_anywhere_and_skips_the_argument_check()
    {
        Parse("--help").HelpAsked.Should().BeTrue();
        var parsed = Parse("state", "-h");
        parsed.HelpAsked.Should().BeTrue();
        parsed.Error.Should().BeNull();
        Help.For(parsed.Verb, GlobalFlags.All, Verbs).Should().Contain("usage: oci-run state [flags] <container-id>");
        Help.For(null, GlobalFlags.All, Verbs).Should().Contain("delete").And.Contain("--root DIR");
    }

    [Fact]
    public void A_non_numeric_preserve_fds_is_refused_with_its_name()
    {
        var parsed = Parse("create", "--preserve-fds", "two", "id");
        parsed.Error.Should().BeNull();
        var read = () => parsed.Arguments.NonNegativeInt("preserve-fds");
        read.Should().Throw<ContainerError>().WithMessage("invalid value \"two\" for flag --preserve-fds*");
        Parse("create", "--preserve-fds=3", "id").Arguments.NonNegativeInt("preserve-fds").Should().Be(3);
    }
}
