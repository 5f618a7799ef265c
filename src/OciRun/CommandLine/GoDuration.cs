using System.Globalization;

namespace OciRun.CommandLine;

/// <summary>
/// Go's duration syntax, which runc's --interval takes: an optional sign, then
/// one or more decimal numbers each with a unit (ns, us, µs, ms, s, m, h), as
/// in "5s", "500ms", "1.5h", "1h2m3s"; "0" alone needs no unit.
/// </summary>
public static class GoDuration
{
    private static readonly (string Unit, decimal Nanoseconds)[] Units =
    [
        ("ns", 1m), ("us", 1e3m), ("\u00b5s", 1e3m), ("\u03bcs", 1e3m), ("ms", 1e6m), ("s", 1e9m), ("m", 60e9m), ("h", 3600e9m),
    ];

    /// <summary>The duration, rounded up to .NET's 100 ns ticks so a positive one stays positive; null when `text` is not one.</summary>
    public static TimeSpan? Parse(string text)
    {
        var s = text.AsSpan();
        var negative = s.Length > 0 && s[0] == '-';
        if (s.Length > 0 && s[0] is '-' or '+') s = s[1..];
        if (s is "0") return TimeSpan.Zero;
        if (s.IsEmpty) return null;
        decimal total = 0;
        while (!s.IsEmpty)
        {
            var digits = 0;
            while (digits < s.Length && (char.IsAsciiDigit(s[digits]) || s[digits] == '.')) digits++;
            var number = s[..digits];
            if (number.IsEmpty || number.IndexOf('.') != number.LastIndexOf('.') || number is ".") return null;
            s = s[digits..];
            // The unit runs up to the next number: "ms" in "500ms3s".
            var unitLength = 0;
            while (unitLength < s.Length && !char.IsAsciiDigit(s[unitLength]) && s[unitLength] != '.') unitLength++;
            if (NanosecondsPer(s[..unitLength]) is not { } perUnit) return null; // no unit, or one Go does not know
            s = s[unitLength..];
            if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)) return null;
            total += value * perUnit;
            if (total > long.MaxValue) return null; // Go's limit: about 292 years
        }
        var ticks = (long)Math.Ceiling(total / 100);
        return TimeSpan.FromTicks(negative ? -ticks : ticks);
    }

    private static decimal? NanosecondsPer(ReadOnlySpan<char> unit)
    {
        foreach (var (name, nanoseconds) in Units)
            if (unit.SequenceEqual(name)) return nanoseconds;
        return null;
    }
}
