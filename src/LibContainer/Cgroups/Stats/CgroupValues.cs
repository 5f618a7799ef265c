using System.Globalization;

namespace LibContainer.Cgroups.Stats;

/// <summary>
/// Reading the value formats of cgroup files: a number alone ("max" for no
/// limit), "key value" lines (memory.stat, cpu.stat), and the same lines
/// folded into one value. A file that is missing gives null; a line that does
/// not parse is passed over, as a kernel may add lines of other shapes.
/// </summary>
internal static class CgroupValues
{
    /// <summary>
    /// An unsigned value: "max" is ulong.MaxValue, and a negative one is 0 (some
    /// memory counters go below zero through kernel bugs); null for anything else.
    /// </summary>
    public static ulong? ParseUint(string text)
    {
        text = text.Trim();
        if (text == "max") return ulong.MaxValue;
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return value;
        if (text.StartsWith('-') && text.Length > 1 && IsDigits(text.AsSpan(1))) return 0;
        return null;
    }

    public static long? ParseInt(string text) =>
        long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>The file's value; null when it is missing or holds no number.</summary>
    public static ulong? ReadUint(ICgroupFiles files, string dir, string file) =>
        files.Read(Path.Combine(dir, file)) is { } text ? ParseUint(text) : null;

    /// <summary>"key value" lines, in the file's order; null when the file is missing.</summary>
    public static List<KeyValuePair<string, ulong>>? ReadKeyValues(ICgroupFiles files, string dir, string file) =>
        files.Read(Path.Combine(dir, file)) is { } text ? ParseKeyValues(text) : null;

    public static List<KeyValuePair<string, ulong>> ParseKeyValues(string text)
    {
        var pairs = new List<KeyValuePair<string, ulong>>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ');
            if (fields.Length == 2 && fields[0].Length > 0 && ParseUint(fields[1]) is { } value)
                pairs.Add(new(fields[0], value));
        }
        return pairs;
    }

    /// <summary>The value of `key` among "key value" lines; 0 when the line is not there.</summary>
    public static ulong ValueOf(List<KeyValuePair<string, ulong>> pairs, string key)
    {
        foreach (var (k, v) in pairs)
            if (k == key) return v;
        return 0;
    }

    /// <summary>Numbers separated by white space ("123 456 789\n").</summary>
    public static List<ulong> ParseList(string text)
    {
        var values = new List<ulong>();
        foreach (var field in text.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries))
            if (ParseUint(field) is { } value) values.Add(value);
        return values;
    }

    /// <summary>
    /// Huge page sizes ("2MB", "1GB") of the files named hugetlb.SIZE.SUFFIX in a
    /// directory, sorted; the reservation files (hugetlb.SIZE.rsvd.*) are not counted.
    /// </summary>
    public static List<string> HugePageSizes(ICgroupFiles files, string dir, string suffix)
    {
        var sizes = new List<string>();
        foreach (var name in files.List(dir))
        {
            var parts = name.Split('.');
            if (parts is ["hugetlb", var size, var last] && last == suffix && !sizes.Contains(size)) sizes.Add(size);
        }
        sizes.Sort(StringComparer.Ordinal);
        return sizes;
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
            if (c is < '0' or > '9') return false;
        return true;
    }
}
