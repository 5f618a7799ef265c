using System.Globalization;
using LibContainer;

namespace OciRun.CommandLine;

/// <summary>
/// Sizes as runc's update flags take them (docker's RAMInBytes): a number,
/// maybe with a fraction, then an optional binary unit k, m, g, t or p
/// (1024-based), optionally followed by "b" or "ib", any case: "64m", "1.5GiB", "4096".
/// </summary>
public static class ByteSize
{
    public static long Parse(string text, string flag)
    {
        var s = text.Trim();
        var end = 0;
        while (end < s.Length && (char.IsAsciiDigit(s[end]) || s[end] == '.')) end++;
        if (end == 0 || !decimal.TryParse(s[..end], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            throw Invalid(text, flag);
        var unit = s[end..].TrimStart(' ').ToLowerInvariant();
        if (unit.EndsWith("ib")) unit = unit[..^2];
        else if (unit.EndsWith('b')) unit = unit[..^1];
        var shift = unit switch { "" => 0, "k" => 10, "m" => 20, "g" => 30, "t" => 40, "p" => 50, _ => -1 };
        if (shift < 0 || unit.Length > 1 && shift == 0) throw Invalid(text, flag);
        var bytes = number * (1L << shift);
        if (bytes > long.MaxValue) throw Invalid(text, flag);
        return (long)bytes;
    }

    private static ContainerError Invalid(string text, string flag) =>
        new($"invalid value for {flag}: \"{text}\" is not a size such as 4096, 64m or 1g");
}
