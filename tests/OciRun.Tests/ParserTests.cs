using OciRun;
using OciRun.CommandLine;
using OciRun.Commands;
using LibContainer;

namespace OciRun.Tests;

public sealed class ParserTests
{
    private static readonly Verb[] Verbs = [CreateCommand.Verb, DeleteCommand.Verb, KillCommand.Verb, PsCommand.Verb, ListCommand.Verb, StateCommand.Verb, EventsCommand.Verb, PauseCommand.Verb];

    private static Parsed Parse(params string[] args) => Parser.Parse(args, GlobalFlags.All, Verbs);

    [Fact]
    public void Global_flags_before_the_verb_and_verb_flags_after_it()
    {
        var parsed = Parse("--root", "/r", "--log=/l", "--log-format", "json", "create", "--bundle", "/b", "--pid-file=/p", "id");
        parsed.Error.Should().BeNull();
        parsed.Verb!.Name.Should().Be("create");
        parsed.Arguments.Get(GlobalFlags.Root).Should().Be("/r");
        parsed.Arguments.Get(GlobalFlags.Log).Should().Be("/l");
        parsed.Arguments.Get(GlobalFlags.LogFormat).Should().Be("json");
        parsed.Arguments.Get(CreateFlags.Bundle).Should().Be("/b");
        parsed.Arguments.Get(CreateFlags.PidFile).Should().Be("/p");
        parsed.Arguments.Positional.Should().Equal("id");
    }

    [Fact]
    public void Defaults_apply_when_a_flag_is_absent()
    {
        var parsed = Parse("create", "id");
        parsed.Arguments.Get(GlobalFlags.Root).Should().Be(GlobalFlags.DefaultRoot);
        parsed.Arguments.Get(CreateFlags.Bundle).Should().Be(".");
        parsed.Arguments.Get(CreateFlags.PidFile).Should().BeNull();
        parsed.Arguments.Get(CreateFlags.NoPivot).Should().BeFalse();
    }

    [Fact]
    public void Short_aliases_go_singledash_long_names_and_flags_after_the_id()
    {
        var parsed = Parse("-root", "/r", "delete", "id", "-f");
        parsed.Error.Should().BeNull();
        parsed.Arguments.Get(GlobalFlags.Root).Should().Be("/r");
        parsed.Arguments.Get(DeleteCommand.Force).Should().BeTrue();
        parsed.Arguments.Positional.Should().Equal("id");
    }

    [Fact]
    public void Switches_take_an_explicit_true_or_false_and_nothing_else()
    {
        Parse("delete", "--force=false", "id").Arguments.Get(DeleteCommand.Force).Should().BeFalse();
        Parse("delete", "--force=true", "id").Arguments.Get(DeleteCommand.Force).Should().BeTrue();
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
        parsed.Arguments.Get(PsCommand.Format).Should().Be("json");
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
        var read = () => parsed.Arguments.Get(CreateFlags.PreserveFds);
        read.Should().Throw<ContainerError>().WithMessage("invalid value \"two\" for flag --preserve-fds*");
        Parse("create", "--preserve-fds=3", "id").Arguments.Get(CreateFlags.PreserveFds).Should().Be(3);
    }

    [Fact]
    public void A_duration_flag_reads_its_default_or_a_go_duration_and_names_itself_when_it_is_none()
    {
        Parse("events", "id").Arguments.Get(EventsCommand.Interval).Should().Be(TimeSpan.FromSeconds(5), "runc's default");
        Parse("events", "--interval", "250ms", "id").Arguments.Get(EventsCommand.Interval).Should().Be(TimeSpan.FromMilliseconds(250));
        Parse("events", "--interval=1m", "--stats", "id").Arguments.Get(EventsCommand.Stats).Should().BeTrue();
        var bad = () => Parse("events", "--interval", "5", "id").Arguments.Get(EventsCommand.Interval);
        bad.Should().Throw<ContainerError>().WithMessage("invalid value \"5\" for flag --interval: expected a duration such as 5s, 500ms or 1m30s");
        Help.For(EventsCommand.Verb, GlobalFlags.All, Verbs).Should().Contain("--interval DURATION").And.Contain("(default: 5s)");
        Parse("pause", "a", "b").Error.Should().Contain("\"pause\" requires exactly 1 argument(s)");
    }

    [Fact]
    public void A_non_numeric_or_negative_int_flag_names_the_flag_and_the_value()
    {
        var negative = () => Parse("create", "--preserve-fds=-1", "id").Arguments.Get(CreateFlags.PreserveFds);
        negative.Should().Throw<ContainerError>().WithMessage("invalid value \"-1\" for flag --preserve-fds: expected a non-negative integer");
        Parse("create", "id").Arguments.Get(CreateFlags.PreserveFds).Should().Be(0, "an absent int flag is 0");
    }

    [Fact]
    public void A_switch_is_false_when_absent_and_true_when_given_by_either_name()
    {
        Parse("kill", "id").Arguments.Get(KillCommand.AllProcesses).Should().BeFalse();
        Parse("kill", "--all", "id").Arguments.Get(KillCommand.AllProcesses).Should().BeTrue();
        Parse("kill", "-a", "id").Arguments.Get(KillCommand.AllProcesses).Should().BeTrue();
        Parse("--debug", "state", "id").Arguments.Get(GlobalFlags.Debug).Should().BeTrue();
        Parse("state", "id", "--debug").Arguments.Get(GlobalFlags.Debug).Should().BeTrue("global flags may follow the verb");
    }

    [Fact]
    public void A_string_flag_reads_its_default_its_value_or_null()
    {
        Parse("list").Arguments.Get(ListCommand.Format).Should().Be("table");
        Parse("list", "-f", "json").Arguments.Get(ListCommand.Format).Should().Be("json");
        Parse("state", "id").Arguments.Get(GlobalFlags.Log).Should().BeNull();
        Parse("create", "--bundle=", "id").Arguments.Get(CreateFlags.Bundle).Should().Be("", "an empty value is given, not absent");
    }

    [Fact]
    public void A_flag_given_twice_keeps_the_last_value()
    {
        var parsed = Parse("--root", "/a", "create", "--pid-file", "/p1", "--root=/b", "id", "--pid-file=/p2", "--no-pivot", "--no-pivot=false");
        parsed.Error.Should().BeNull();
        parsed.Arguments.Get(GlobalFlags.Root).Should().Be("/b");
        parsed.Arguments.Get(CreateFlags.PidFile).Should().Be("/p2");
        parsed.Arguments.Get(CreateFlags.NoPivot).Should().BeFalse();
    }

    [Fact]
    public void Flags_of_the_same_name_in_two_verbs_are_read_by_the_verbs_own_flag()
    {
        // list and ps both have --format: each reads its own; reading another verb's is a programming error.
        Parse("ps", "-f", "json", "id").Arguments.Get(PsCommand.Format).Should().Be("json");
        var other = () => Parse("ps", "-f", "json", "id").Arguments.Get(ListCommand.Format);
        other.Should().Throw<ArgumentException>().WithMessage("flag --format is not one of this command line's*");
    }

    [Fact]
    public void Every_verb_lists_its_flags_once_set()
    {
        // Static fields are set in the order they are written: a Verb above its flags would list nulls.
        foreach (var verb in new[] { CreateCommand.Verb, StartCommand.Verb, RunCommand.Verb, StateCommand.Verb, ListCommand.Verb,
                     KillCommand.Verb, DeleteCommand.Verb, PsCommand.Verb, PauseCommand.Verb, ResumeCommand.Verb, EventsCommand.Verb,
                     SpecCommand.Verb, FeaturesCommand.Verb })
            verb.Flags.Should().NotContainNulls(verb.Name);
        GlobalFlags.All.Should().NotContainNulls();
    }

    [Fact]
    public void Help_shows_each_flags_value_name_and_default()
    {
        var help = Help.For(RunCommand.Verb, GlobalFlags.All, Verbs);
        help.Should().Contain("-b, --bundle DIR").And.Contain("(default: .)");
        help.Should().Contain("--preserve-fds N").And.Contain("-d, --detach").And.Contain("--keep");
        Help.For(null, GlobalFlags.All, Verbs).Should().Contain("--root DIR").And.Contain($"(default: {GlobalFlags.DefaultRoot})");
    }
}
