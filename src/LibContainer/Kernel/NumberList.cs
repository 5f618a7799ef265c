namespace LibContainer.Kernel;

/// <summary>
/// The kernel's list format for CPUs and NUMA nodes ("0-3,7"), read strictly:
/// one bad part refuses the whole list. (Stats read cpuset files leniently, V1Stats.CpuList.)
/// </summary>
public static class NumberList
{
    /// <summary>The numbers a list names, each below `limit`; false when any part is not a number or a rising range.</summary>
    public static bool TryParse(string text, int limit, List<int> numbers)
    {
        foreach (var part in text.Split(','))
        {
            var range = part.Trim().Split('-');
            if (range.Length > 2 || !int.TryParse(range[0], out var first) || !int.TryParse(range[^1], out var last) || first < 0 || last < first || last >= limit)
                return false;
            for (var n = first; n <= last; n++) numbers.Add(n);
        }
        return true;
    }
}
