namespace LibContainer.Rootfs;

/// <summary>A mount's options split the way mount(2) wants them.</summary>
public sealed record MountOptions(ulong Flags, ulong ClearedFlags, IReadOnlyList<ulong> Propagation, string Data)
{
    public bool IsBind => (Flags & Interop.MS.BIND) != 0;

    private static readonly Dictionary<string, (bool Clear, ulong Flag)> FlagOptions = new()
    {
        ["acl"] = (false, Interop.MS.POSIXACL),
        ["async"] = (true, Interop.MS.SYNCHRONOUS),
        ["atime"] = (true, Interop.MS.NOATIME),
        ["bind"] = (false, Interop.MS.BIND),
        ["defaults"] = (false, 0),
        ["dev"] = (true, Interop.MS.NODEV),
        ["diratime"] = (true, Interop.MS.NODIRATIME),
        ["dirsync"] = (false, Interop.MS.DIRSYNC),
        ["exec"] = (true, Interop.MS.NOEXEC),
        ["iversion"] = (false, Interop.MS.I_VERSION),
        ["lazytime"] = (false, Interop.MS.LAZYTIME),
        ["loud"] = (true, Interop.MS.SILENT),
        ["mand"] = (false, Interop.MS.MANDLOCK),
        ["noacl"] = (true, Interop.MS.POSIXACL),
        ["noatime"] = (false, Interop.MS.NOATIME),
        ["nodev"] = (false, Interop.MS.NODEV),
        ["nodiratime"] = (false, Interop.MS.NODIRATIME),
        ["noexec"] = (false, Interop.MS.NOEXEC),
        ["noiversion"] = (true, Interop.MS.I_VERSION),
        ["nolazytime"] = (true, Interop.MS.LAZYTIME),
        ["nomand"] = (true, Interop.MS.MANDLOCK),
        ["norelatime"] = (true, Interop.MS.RELATIME),
        ["nostrictatime"] = (true, Interop.MS.STRICTATIME),
        ["nosuid"] = (false, Interop.MS.NOSUID),
        ["nosymfollow"] = (false, Interop.MS.NOSYMFOLLOW),
        ["rbind"] = (false, Interop.MS.BIND | Interop.MS.REC),
        ["relatime"] = (false, Interop.MS.RELATIME),
        ["remount"] = (false, Interop.MS.REMOUNT),
        ["ro"] = (false, Interop.MS.RDONLY),
        ["rw"] = (true, Interop.MS.RDONLY),
        ["silent"] = (false, Interop.MS.SILENT),
        ["strictatime"] = (false, Interop.MS.STRICTATIME),
        ["suid"] = (true, Interop.MS.NOSUID),
        ["symfollow"] = (true, Interop.MS.NOSYMFOLLOW),
        ["sync"] = (false, Interop.MS.SYNCHRONOUS),
    };

    private static readonly Dictionary<string, ulong> PropagationOptions = new()
    {
        ["private"] = Interop.MS.PRIVATE,
        ["rprivate"] = Interop.MS.PRIVATE | Interop.MS.REC,
        ["shared"] = Interop.MS.SHARED,
        ["rshared"] = Interop.MS.SHARED | Interop.MS.REC,
        ["slave"] = Interop.MS.SLAVE,
        ["rslave"] = Interop.MS.SLAVE | Interop.MS.REC,
        ["unbindable"] = Interop.MS.UNBINDABLE,
        ["runbindable"] = Interop.MS.UNBINDABLE | Interop.MS.REC,
    };

    // Options runc knows that need features this runtime does not have yet.
    private static readonly HashSet<string> Unsupported =
    [
        "idmap", "ridmap", "tmpcopyup", "rro", "rrw", "rnosuid", "rsuid", "rnodev", "rdev", "rnoexec", "rexec",
        "rnodiratime", "rdiratime", "rrelatime", "rnorelatime", "rnoatime", "ratime", "rstrictatime",
        "rnostrictatime", "rnosymfollow", "rsymfollow",
    ];

    /// <summary>Every option name this runtime understands, for `features`.</summary>
    public static IEnumerable<string> Known
    {
        get
        {
            var known = new List<string>(FlagOptions.Keys);
            known.AddRange(PropagationOptions.Keys);
            known.Sort(StringComparer.Ordinal);
            return known;
        }
    }

    /// <summary>Splits options; `where` names the field in errors.</summary>
    public static MountOptions Parse(IEnumerable<string>? options, string where)
    {
        ulong flags = 0, cleared = 0;
        var propagation = new List<ulong>();
        var data = new List<string>();
        foreach (var option in options ?? [])
        {
            if (FlagOptions.TryGetValue(option, out var f))
            {
                if (f.Clear) { flags &= ~f.Flag; cleared |= f.Flag; }
                else { flags |= f.Flag; cleared &= ~f.Flag; }
            }
            else if (PropagationOptions.TryGetValue(option, out var p))
                propagation.Add(p);
            else if (Unsupported.Contains(option))
                throw new ContainerError($"config.json: {where}: mount option \"{option}\" is not supported yet");
            else
                data.Add(option);
        }
        return new MountOptions(flags, cleared, propagation, string.Join(',', data));
    }

    /// <summary>Parses "shared", "rslave", ... as used by linux.rootfsPropagation.</summary>
    public static ulong? ParsePropagation(string name) =>
        PropagationOptions.TryGetValue(name, out var p) ? p : null;
}
