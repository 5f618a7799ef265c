using LibContainer.State;

namespace LibContainer.Tests;

public sealed class TimestampTests
{
    [Fact]
    public void Formats_as_runc_does_with_every_digit() =>
        Timestamp.Format(new DateTime(2026, 1, 5, 7, 8, 9, DateTimeKind.Utc).AddTicks(3420533))
            .Should().Be("2026-01-05T07:08:09.3420533Z");

    [Fact]
    public void Matches_the_round_trip_format() =>
        Timestamp.Format(new DateTime(639000000000000007, DateTimeKind.Utc))
            .Should().Be(new DateTime(639000000000000007, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
}
