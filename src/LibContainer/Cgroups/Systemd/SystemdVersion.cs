namespace LibContainer.Cgroups.Systemd;

/// <summary>systemd's version string as a number, as runc reads it: "v245.4-1.fc32", "252.39-1~deb12u1" are 245 and 252; 0 when none.</summary>
public static class SystemdVersion
{
    public static int Parse(string? text)
    {
        if (text is null) return 0;
        var start = text.StartsWith('v') ? 1 : 0;
        var end = start;
        while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
        return end > start && int.TryParse(text.AsSpan(start, end - start), out var version) ? version : 0;
    }
}
