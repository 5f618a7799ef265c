using OciRun.CommandLine;

namespace OciRun.Tests;

/// <summary>Go's duration syntax, as runc's --interval parses it.</summary>
public sealed class GoDurationTests
{
    [Theory]
    [InlineData("5s", 5_000_000_0L)]
    [InlineData("500ms", 5_000_000L)]
    [InlineData("1m30s", 900_000_000L)]
    [InlineData("1.5h", 54_000_000_000L)]
    [InlineData(".5s", 5_000_000L)]
    [InlineData("1h2m3.5s", 37_235_000_000L)]
    [InlineData("250us", 2_500L)]
    [InlineData("250\u00b5s", 2_500L)]
    [InlineData("250\u03bcs", 2_500L)]
    [InlineData("0", 0L)]
    [InlineData("0s", 0L)]
    [InlineData("-1s", -10_000_000L)]
    [InlineData("+2s", 20_000_000L)]
    [InlineData("1ns", 1L)] // rounded up to a tick: a positive duration stays positive
    public void Durations_parse_to_ticks(string text, long ticks) => GoDuration.Parse(text).Should().Be(TimeSpan.FromTicks(ticks));

    [Theory]
    [InlineData("")]
    [InlineData("5")] // Go: missing unit
    [InlineData("abc")]
    [InlineData("1x")]
    [InlineData("s")]
    [InlineData(".s")]
    [InlineData("1.2.3s")]
    [InlineData("5s ")]
    [InlineData("-")]
    [InlineData("3000000h")] // past Go's int64 nanoseconds
    public void What_go_refuses_is_no_duration(string text) => GoDuration.Parse(text).Should().BeNull();
}
