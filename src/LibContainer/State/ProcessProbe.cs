namespace LibContainer.State;

/// <summary>Reads /proc/PID/stat to tell whether a PID is still the process we started.</summary>
public static class ProcessProbe
{
    /// <summary>(state letter, start time) of a live process, or null if there is none.</summary>
    public static (char State, ulong StartTime)? Read(int pid)
    {
        if (pid <= 0) return null;
        var stat = Interop.SmallFile.TryRead($"/proc/{pid}/stat");
        return stat is null ? null : Parse(System.Text.Encoding.UTF8.GetString(stat));
    }

    public static (char State, ulong StartTime)? Parse(string stat)
    {
        // The command name may contain spaces and parentheses: fields start after the last ')'.
        var close = stat.LastIndexOf(')');
        if (close < 0) return null;
        var fields = stat[(close + 2)..].Split(' ');
        // fields[0] is field 3 (state); start time is field 22.
        if (fields.Length < 20 || !ulong.TryParse(fields[19], out var start)) return null;
        return (fields[0][0], start);
    }

    /// <summary>True if `pid` is alive (not a zombie) and started at `startTime`.</summary>
    public static bool IsSameAlive(int pid, ulong startTime) =>
        pid > 0 && Exists(pid) && Read(pid) is { } p && p.StartTime == startTime && p.State is not ('Z' or 'X');

    // kill(pid, 0) answers "no such process" without a path lookup in /proc: `list` asks it of every stopped container.
    private static bool Exists(int pid) => Interop.LibC.kill(pid, 0) == 0 || Interop.Syscall.LastErrno != Interop.Errno.ESRCH;
}
