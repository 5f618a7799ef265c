namespace LibContainer.Kernel;

/// <summary>Signal names and numbers as `kill` accepts them: "TERM", "SIGTERM", "15", "RTMIN+1", "0".</summary>
public static class Signals
{
    private static readonly string[] Names =
    [
        "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
        "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
        "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    ];

    private const int RtMin = 34, RtMax = 64;

    public static int Parse(string text)
    {
        // 0 is no signal: kill only checks the process is there, as with runc and kill(1).
        if (int.TryParse(text, out var number))
            return number is >= 0 and <= RtMax ? number : throw Unknown(text);
        var name = text.ToUpperInvariant();
        if (name.StartsWith("SIG", StringComparison.Ordinal)) name = name[3..];
        var i = Array.IndexOf(Names, name);
        if (i > 0) return i;
        if (name is "IOT") return 6;
        if (name is "POLL") return 29;
        if (name is "CLD") return 17;
        if (name == "RTMIN") return RtMin;
        if (name == "RTMAX") return RtMax;
        if (name.StartsWith("RTMIN+", StringComparison.Ordinal) && int.TryParse(name[6..], out var plus) && plus >= 0 && RtMin + plus <= RtMax) return RtMin + plus;
        if (name.StartsWith("RTMAX-", StringComparison.Ordinal) && int.TryParse(name[6..], out var minus) && minus >= 0 && RtMax - minus >= RtMin) return RtMax - minus;
        throw Unknown(text);
    }

    private static ContainerError Unknown(string text) => new($"unknown signal \"{text}\"");
}
