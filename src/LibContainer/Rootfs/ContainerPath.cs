namespace LibContainer.Rootfs;

/// <summary>A container path taken apart, as text only: nothing here touches the filesystem.</summary>
internal static class ContainerPath
{
    public static List<string> Components(string path)
    {
        var parts = new List<string>();
        foreach (var p in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            if (p != ".") parts.Add(p);
        return parts;
    }

    public static string ParentOf(string path)
    {
        var parts = Components(path);
        if (parts.Count > 0) parts.RemoveAt(parts.Count - 1);
        return "/" + string.Join('/', parts);
    }

    public static string NameOf(string path)
    {
        var parts = Components(path);
        return parts.Count > 0 ? parts[^1] : "";
    }
}
