using System.Text.Json.Nodes;
using LibContainer;
using OciRun.CommandLine;

namespace OciRun.Tests;

/// <summary>Every failure ends as one error line (stderr and --log) and exit status 1, whatever threw it.</summary>
public sealed class ErrorBoundaryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ocirun-cli-").FullName;

    private string Log => Path.Combine(_dir, "log");

    private static readonly Verb[] Verbs =
    [
        new("boom", "throws what the runtime did not expect", "", [], 0, 0, _ => throw new InvalidOperationException("boom")),
        new("fail", "throws the runtime's own error", "", [], 0, 0, _ => throw new ContainerError("it failed")),
        new("ok", "succeeds", "", [], 0, 0, _ => 0),
    ];

    private int Run(params string[] args) => Cli.Run(args, Verbs);

    private string[] LogLines() => File.ReadAllLines(Log);

    [Fact]
    public void An_unexpected_exception_is_one_internal_error_line_and_exit_1()
    {
        Run("--log", Log, "boom").Should().Be(1);
        var lines = LogLines();
        lines.Should().HaveCount(1);
        lines[0].Should().Contain("level=error").And.Contain("msg=\"internal error: InvalidOperationException: boom\"");
    }

    [Fact]
    public void An_unexpected_exception_in_a_json_log_is_one_json_line()
    {
        Run("--log", Log, "--log-format", "json", "boom").Should().Be(1);
        var lines = LogLines();
        lines.Should().HaveCount(1);
        var line = JsonNode.Parse(lines[0])!;
        ((string?)line["level"]).Should().Be("error");
        ((string?)line["msg"]).Should().Be("internal error: InvalidOperationException: boom");
        ((string?)line["time"]).Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void The_stack_trace_is_logged_only_with_debug()
    {
        Run("--log", Log, "--log-format", "json", "--debug", "boom").Should().Be(1);
        var lines = LogLines();
        var levels = new List<string>();
        foreach (var l in lines) levels.Add((string)JsonNode.Parse(l)!["level"]!);
        levels[^1].Should().Be("error", "the error comes last, where a shim looks for it");
        levels.FindAll(l => l == "error").Should().HaveCount(1);
        lines.Should().Contain(l => l.Contains(nameof(ErrorBoundaryTests)), "the stack names the throwing code");
    }

    [Fact]
    public void The_runtimes_own_error_is_reported_as_it_is()
    {
        Run("--log", Log, "fail").Should().Be(1);
        LogLines().Should().ContainSingle().Which.Should().Contain("msg=\"it failed\"");
    }

    [Fact]
    public void A_parse_error_is_logged_too()
    {
        Run("--log", Log, "boom", "--nope").Should().Be(1);
        LogLines().Should().ContainSingle().Which.Should().Contain("flag provided but not defined: --nope");
    }

    [Fact]
    public void An_unknown_log_format_is_an_error()
    {
        Run("--log", Log, "--log-format", "xml", "ok").Should().Be(1);
        File.Exists(Log).Should().BeFalse("the format is checked before the log is opened, as runc does");
    }

    [Fact]
    public void A_log_that_cannot_be_opened_is_an_error()
    {
        Run("--log", Path.Combine(_dir, "missing", "log"), "ok").Should().Be(1);
        Run("--log", _dir, "ok").Should().Be(1);
    }

    [Fact]
    public void The_log_is_created_when_missing_and_appended_to_otherwise()
    {
        Run("--log", Log, "ok").Should().Be(0);
        File.Exists(Log).Should().BeTrue("runc opens the log before any command");
        Run("--log", Log, "fail").Should().Be(1);
        Run("--log", Log, "fail").Should().Be(1);
        LogLines().Should().HaveCount(2);
    }

    [Fact]
    public void Reporter_open_says_what_is_wrong_in_runcs_words()
    {
        var format = () => Reporter.Open(null, "xml", debug: false);
        format.Should().Throw<ContainerError>().WithMessage("invalid log-format: xml");
        var missing = Path.Combine(_dir, "missing", "log");
        var open = () => Reporter.Open(missing, "text", debug: false);
        open.Should().Throw<ContainerError>().WithMessage($"open {missing}: No such file or directory");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
