namespace LibContainer.Interop;

/// <summary>One line of /proc/PID/mountinfo: the fields the runtime reads, unescaped.</summary>
public sealed record MountInfo(string Root, string MountPoint, string FsType, string SuperOptions)
{
    internal static List<MountInfo> Parse(string text)
    {
        var mounts = new List<MountInfo>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS"
            var dash = line.IndexOf(" - ", StringComparison.Ordinal);
            if (dash < 0) continue;
            var fields = line[..dash].Split(' ');
            var tail = line[(dash + 3)..].Split(' ');
            if (fields.Length < 5 || tail.Length < 3) continue;
            mounts.Add(new MountInfo(Unescape(fields[3]), Unescape(fields[4]), tail[0], tail[2]));
        }
        return mounts;
    }

    internal static List<MountInfo> OfThisProcess() => Parse(SmallFile.TryReadText("/proc/self/mountinfo") ?? "");

    private static string Unescape(string s) => s.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");
}
