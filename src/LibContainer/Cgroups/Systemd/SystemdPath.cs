namespace LibContainer.Cgroups.Systemd;

/// <summary>
/// linux.cgroupsPath under --systemd-cgroup: "slice:prefix:name", as runc
/// parses it. The container runs in the transient scope "prefix-name.scope"
/// inside the slice (a name ending in ".slice" is itself the unit, as in runc).
/// </summary>
public sealed record SystemdPath(string Slice, string Prefix, string Name)
{
    /// <summary>runc's default parent when the path names none.</summary>
    public const string DefaultSlice = "system.slice";

    /// <summary>
    /// The container's unit from config.json's cgroupsPath: empty means
    /// "system.slice:runc:ID" (runc's default prefix and name), and an empty
    /// slice means system.slice.
    /// </summary>
    public static SystemdPath Parse(string? cgroupsPath, string id)
    {
        if (string.IsNullOrEmpty(cgroupsPath)) return new(DefaultSlice, "runc", id);
        var parts = cgroupsPath.Split(':');
        if (parts.Length != 3)
            throw new ContainerError($"linux.cgroupsPath: expected cgroupsPath to be of format \"slice:prefix:name\" for systemd cgroups, got \"{cgroupsPath}\" instead");
        var (slice, prefix, name) = (parts[0], parts[1], parts[2]);
        if (name.Length == 0)
            throw new ContainerError($"linux.cgroupsPath \"{cgroupsPath}\": the name (after the second ':') must not be empty");
        if (name.Contains('/') || prefix.Contains('/'))
            throw new ContainerError($"linux.cgroupsPath \"{cgroupsPath}\": the prefix and name must not contain '/'");
        var path = new SystemdPath(slice.Length == 0 ? DefaultSlice : slice, prefix, name);
        ExpandSlice(path.Slice); // a bad slice fails here, before anything is made
        return path;
    }

    /// <summary>The unit: "prefix-name.scope", or the name itself when it is a slice (runc's getUnitName).</summary>
    public string UnitName => Name.EndsWith(".slice", StringComparison.Ordinal) ? Name : $"{Prefix}-{Name}.scope";

    /// <summary>Whether the container's unit is a slice (runc creates one when the name asks for it).</summary>
    public bool IsSlice => UnitName.EndsWith(".slice", StringComparison.Ordinal);

    /// <summary>
    /// The slice's cgroup path, as systemd nests slices: "a-b-c.slice" is
    /// "a.slice/a-b.slice/a-b-c.slice", "-.slice" is the root (""). runc's ExpandSlice.
    /// </summary>
    public static string ExpandSlice(string slice)
    {
        const string suffix = ".slice";
        if (slice.Length <= suffix.Length - 1 || !slice.EndsWith(suffix, StringComparison.Ordinal) || slice.Contains('/'))
            throw new ContainerError($"linux.cgroupsPath: invalid slice name \"{slice}\" (a systemd slice ends in \".slice\", e.g. system.slice)");
        var stem = slice[..^suffix.Length];
        if (stem == "-") return "";
        var path = new List<string>();
        var prefix = "";
        foreach (var component in stem.Split('-'))
        {
            // "a--b.slice" and "-a.slice" are no slices: systemd refuses them too.
            if (component.Length == 0)
                throw new ContainerError($"linux.cgroupsPath: invalid slice name \"{slice}\" (an empty part between '-')");
            prefix = prefix.Length == 0 ? component : $"{prefix}-{component}";
            path.Add(prefix + suffix);
        }
        return string.Join('/', path);
    }

    /// <summary>The unit's cgroup below the hierarchy's root, e.g. "system.slice/runc-abc.scope" (runc joins the expanded slice and the unit).</summary>
    public string CgroupPath => ExpandSlice(Slice) is { Length: > 0 } slice ? $"{slice}/{UnitName}" : UnitName;
}
