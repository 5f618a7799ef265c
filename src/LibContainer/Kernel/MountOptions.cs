namespace LibContainer.Kernel;

/// <summary>
/// A mount's options split the way mount(2) wants them, plus the recursive
/// ("rro", "rnosuid", ...) ones as mount_setattr(2) attributes to set and
/// clear on the mount and every mount below it once it is made.
/// </summary>
public sealed record MountOptions(ulong Flags, ulong ClearedFlags, IReadOnlyList<ulong> Propagation, string Data)
{
    public bool IsBind => (Flags & Interop.MS.BIND) != 0;

    /// <summary>MOUNT_ATTR_* to set recursively (attr_set).</summary>
    public ulong RecursiveSet { get; init; }

    /// <summary>MOUNT_ATTR_* to clear recursively (attr_clr); ATIME_MASK when an atime setting is chosen.</summary>
    public ulong RecursiveClear { get; init; }

    /// <summary>tmpcopyup: a tmpfs starts with a copy of what the directory it covers holds (runc's extension).</summary>
    public bool CopyUp { get; init; }

    /// <summary>The recursive options as written, to name them in errors.</summary>
    public IReadOnlyList<string> RecursiveOptions { get; init; } = [];

    /// <summary>
    /// The plain flags as mount_setattr attributes (set, clear), for applying
    /// them to a whole tree of mounts at once; atime is touched only when a
    /// flag chooses it.
    /// </summary>
    public (ulong Set, ulong Clear) FlagsAsAttributes()
    {
        ulong set = 0, clear = 0;
        foreach (var (ms, attr) in AttributeOfFlag)
        {
            if ((Flags & ms) != 0) set |= attr;
            else if ((ClearedFlags & ms) != 0) clear |= attr;
        }
        var atime = (Flags & Interop.MS.NOATIME) != 0 ? MountAttr.NOATIME
            : (Flags & Interop.MS.STRICTATIME) != 0 ? MountAttr.STRICTATIME
            : (Flags & Interop.MS.RELATIME) != 0 ? MountAttr.RELATIME
            : (ulong?)null;
        if (atime is { } mode) { set |= mode; clear |= MountAttr.ATIME_MASK; }
        return (set, clear);
    }

    private static readonly (ulong Ms, ulong Attr)[] AttributeOfFlag =
    [
        (Interop.MS.RDONLY, MountAttr.RDONLY), (Interop.MS.NOSUID, MountAttr.NOSUID), (Interop.MS.NODEV, MountAttr.NODEV),
        (Interop.MS.NOEXEC, MountAttr.NOEXEC), (Interop.MS.NODIRATIME, MountAttr.NODIRATIME), (Interop.MS.NOSYMFOLLOW, MountAttr.NOSYMFOLLOW),
    ];

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

    // runc's recursive options: an attribute each, set or cleared on the whole tree.
    private static readonly Dictionary<string, (bool Clear, ulong Attr)> RecursiveOptionAttrs = new()
    {
        ["rro"] = (false, MountAttr.RDONLY),
        ["rrw"] = (true, MountAttr.RDONLY),
        ["rnosuid"] = (false, MountAttr.NOSUID),
        ["rsuid"] = (true, MountAttr.NOSUID),
        ["rnodev"] = (false, MountAttr.NODEV),
        ["rdev"] = (true, MountAttr.NODEV),
        ["rnoexec"] = (false, MountAttr.NOEXEC),
        ["rexec"] = (true, MountAttr.NOEXEC),
        ["rnodiratime"] = (false, MountAttr.NODIRATIME),
        ["rdiratime"] = (true, MountAttr.NODIRATIME),
        ["rnosymfollow"] = (false, MountAttr.NOSYMFOLLOW),
        ["rsymfollow"] = (true, MountAttr.NOSYMFOLLOW),
    };

    // The recursive atime options each choose one atime setting (the kernel takes one, with
    // ATIME_MASK cleared). Dropping noatime or strictatime leaves the kernel's default, relatime;
    // dropping relatime leaves strictatime, the only setting that is neither.
    private static readonly Dictionary<string, ulong> RecursiveAtimeOptions = new()
    {
        ["rrelatime"] = MountAttr.RELATIME,
        ["rnorelatime"] = MountAttr.STRICTATIME,
        ["rnoatime"] = MountAttr.NOATIME,
        ["ratime"] = MountAttr.RELATIME,
        ["rstrictatime"] = MountAttr.STRICTATIME,
        ["rnostrictatime"] = MountAttr.RELATIME,
    };

    // Options runc knows that need features this runtime does not have yet.
    private static readonly HashSet<string> Unsupported = ["idmap", "ridmap"];

    // runc's extensions: options that are not mount(2)'s but the runtime's.
    private const string CopyUpOption = "tmpcopyup";

    /// <summary>Every option name this runtime understands, for `features`.</summary>
    public static IEnumerable<string> Known
    {
        get
        {
            var known = new List<string>(FlagOptions.Keys);
            known.AddRange(PropagationOptions.Keys);
            known.AddRange(RecursiveOptionAttrs.Keys);
            known.AddRange(RecursiveAtimeOptions.Keys);
            known.Add(CopyUpOption);
            known.Sort(StringComparer.Ordinal);
            return known;
        }
    }

    /// <summary>Splits options; `where` names the field in errors.</summary>
    public static MountOptions Parse(IEnumerable<string>? options, string where)
    {
        ulong flags = 0, cleared = 0, attrSet = 0, attrClear = 0;
        var propagation = new List<ulong>();
        var data = new List<string>();
        var recursive = new List<string>();
        var copyUp = false;
        foreach (var option in options ?? [])
        {
            if (FlagOptions.TryGetValue(option, out var f))
            {
                if (f.Clear) { flags &= ~f.Flag; cleared |= f.Flag; }
                else { flags |= f.Flag; cleared &= ~f.Flag; }
            }
            else if (PropagationOptions.TryGetValue(option, out var p))
                propagation.Add(p);
            else if (RecursiveOptionAttrs.TryGetValue(option, out var r))
            {
                if (r.Clear) { attrSet &= ~r.Attr; attrClear |= r.Attr; }
                else { attrSet |= r.Attr; attrClear &= ~r.Attr; }
                recursive.Add(option);
            }
            else if (RecursiveAtimeOptions.TryGetValue(option, out var atime))
            {
                attrSet = (attrSet & ~MountAttr.ATIME_MASK) | atime;
                attrClear |= MountAttr.ATIME_MASK;
                recursive.Add(option);
            }
            else if (option == CopyUpOption)
                copyUp = true;
            else if (Unsupported.Contains(option))
                throw new ContainerError($"config.json: {where}: {NotSupported(option)}");
            else
                data.Add(option);
        }
        return new MountOptions(flags, cleared, propagation, string.Join(',', data))
        {
            RecursiveSet = attrSet,
            RecursiveClear = attrClear,
            RecursiveOptions = recursive,
            CopyUp = copyUp,
        };
    }

    /// <summary>What Parse would refuse in these options (the first option it cannot do yet), or null.</summary>
    public static string? Problem(IEnumerable<string>? options)
    {
        foreach (var option in options ?? [])
            if (Unsupported.Contains(option)) return NotSupported(option);
        return null;
    }

    private static string NotSupported(string option) => $"mount option \"{option}\" is not supported yet";

    /// <summary>Parses "shared", "rslave", ... as used by linux.rootfsPropagation.</summary>
    public static ulong? ParsePropagation(string name) =>
        PropagationOptions.TryGetValue(name, out var p) ? p : null;
}
