namespace LibContainer.State;

/// <summary>
/// The current UTC time as runc prints it (RFC 3339 with 100 ns digits,
/// 2026-11-25T09:12:55.3420533Z). Written by hand: DateTime's custom formats
/// pull time zones and the whole formatting engine into the binary.
/// </summary>
public static class Timestamp
{
    public static string UtcNow() => Format(DateTime.UtcNow);

    public static string Format(DateTime utc) => string.Create(28, utc, static (chars, t) =>
    {
        Digits(chars[0..4], t.Year);
        chars[4] = '-';
        Digits(chars[5..7], t.Month);
        chars[7] = '-';
        Digits(chars[8..10], t.Day);
        chars[10] = 'T';
        Digits(chars[11..13], t.Hour);
        chars[13] = ':';
        Digits(chars[14..16], t.Minute);
        chars[16] = ':';
        Digits(chars[17..19], t.Second);
        chars[19] = '.';
        Digits(chars[20..27], (int)(t.Ticks % TimeSpan.TicksPerSecond));
        chars[27] = 'Z';
    });

    private static void Digits(Span<char> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--, value /= 10)
            into[i] = (char)('0' + value % 10);
    }
}
