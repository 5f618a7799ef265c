using System.Text;
using LibContainer.Interop;
using LibContainer.Kernel;
using LibContainer.Rootfs;
using LibContainer.Syscalls;

namespace LibContainer.Tests;

/// <summary>
/// The root filesystem half of the fake: handles are numbers from #3 up, each
/// remembering the path it was resolved for; calls that change something are
/// recorded as lines, queries are answered from the fake rootfs and host below.
/// </summary>
public sealed partial class RecordingSyscalls
{
    /// <summary>What is in the fake rootfs, by container path: true for a directory. Resolve adds what it makes.</summary>
    public Dictionary<string, bool> Tree { get; } = [];

    /// <summary>What is at host paths (bind sources, /proc/kcore); missing by default.</summary>
    public Dictionary<string, HostPathKind> HostPaths { get; } = [];

    /// <summary>The flags LockedMountFlags answers for a container path: those of the mount holding it (none by default).</summary>
    public Dictionary<string, ulong> MountFlags { get; } = [];

    /// <summary>The mounts Mounts() answers.</summary>
    public List<MountInfo> MountTable { get; } = [];

    /// <summary>False: the kernel has no mount_setattr (before 5.12), as ENOSYS says.</summary>
    public bool HasMountSetattr { get; set; } = true;

    /// <summary>Host mount points that will not detach.</summary>
    public HashSet<string> StuckMounts { get; } = [];

    /// <summary>The call whose line starts with this fails with EPERM, as LinuxSyscalls would throw it.</summary>
    public string? FailAt { get; set; }

    /// <summary>The handles handed out and not closed yet: their paths, by number.</summary>
    public Dictionary<int, string> OpenHandles { get; } = [];

    private int _nextHandle = 3;

    public PathHandle OpenDirectory(string path) => Open(path, $"open {path}");

    public PathHandle OpenDevNull() => Open("/dev/null", "open host /dev/null");

    public PathHandle Resolve(PathHandle root, string path, Lookup lookup)
    {
        var key = Key(path);
        var handle = Open(key, $"resolve {key}{lookup switch { Lookup.Directory => " dir", Lookup.MakeDirectory => " mkdir", Lookup.MakeFile => " mkfile", _ => "" }}");
        if (lookup == Lookup.MakeDirectory) Tree[key] = true;
        else if (lookup == Lookup.MakeFile) Tree.TryAdd(key, false);
        return handle;
    }

    public PathHandle? TryResolve(PathHandle root, string path, bool followLast, string what)
    {
        var key = Key(path);
        var line = $"resolve? {key}{(followLast ? "" : " nofollow")}";
        if (!Tree.ContainsKey(key))
        {
            Record($"{line} -> missing", what);
            return null;
        }
        return Open(key, line, what);
    }

    public void Close(PathHandle handle)
    {
        if (!OpenHandles.Remove(handle.Id)) throw new InvalidOperationException($"{handle} closed twice, or never opened");
    }

    public bool IsDirectory(PathHandle handle) => Tree.GetValueOrDefault(PathOf(handle));

    public ulong LockedMountFlags(PathHandle handle) => MountFlags.GetValueOrDefault(PathOf(handle));

    public void Mount(string? source, PathHandle target, string? fsType, ulong flags, string? data, string what) =>
        Record(MountLine(source, target.ToString(), fsType, flags, data), $"mount {what}");

    public PathHandle OpenContents(PathHandle directory) => Open(PathOf(directory), $"open contents of {directory}");

    public void CopyTree(PathHandle from, PathHandle into, string what) => Record($"copy {from} into {into}", $"{what}: tmpcopyup");

    /// <summary>Recorded as Mount; the call FailAt names answers EPERM instead of throwing.</summary>
    public int TryMount(string? source, PathHandle target, string? fsType, ulong flags, string? data, string what)
    {
        var line = MountLine(source, target.ToString(), fsType, flags, data);
        Calls.Add(line);
        return FailAt is { } prefix && line.StartsWith(prefix, StringComparison.Ordinal) ? Errno.EPERM : 0;
    }

    public void Bind(PathHandle source, PathHandle target, bool recursive, string what) =>
        Record($"{(recursive ? "rbind" : "bind")} {source} on {target}", $"mount {what}");

    public bool SetMountAttributes(PathHandle target, ulong set, ulong clear, string what)
    {
        Record($"setattr {target} +{AttrNames(set)} -{AttrNames(clear)}", $"mount {what}");
        return HasMountSetattr;
    }

    public void MountPath(string? source, string path, string? fsType, ulong flags, string? data, string what) =>
        Record(MountLine(source, path, fsType, flags, data), $"mount {what}");

    public void MakeDevice(PathHandle dir, string name, uint mode, ulong device, uint uid, uint gid, string path)
    {
        var type = (mode & StatMode.S_IFMT) switch { StatMode.S_IFCHR => "c", StatMode.S_IFBLK => "b", _ => "p" };
        var major = ((device >> 8) & 0xfff) | ((device >> 32) & 0xfffff000);
        var minor = (device & 0xff) | ((device >> 12) & 0xffffff00);
        Record($"mknod {dir}/{name} {type} {major}:{minor} {Convert.ToString(mode & 0xFFF, 8)} {uid}:{gid}", $"create device {path}");
    }

    public int Symlink(PathHandle dir, string name, string target, bool replace)
    {
        Record($"symlink {dir}/{name} -> {target}{(replace ? " (replace)" : "")}");
        return 0;
    }

    public HostPathKind KindOfHostPath(string path) => HostPaths.GetValueOrDefault(path);

    public IReadOnlyList<MountInfo> Mounts() => MountTable;

    public bool DetachHostMount(string mountPoint)
    {
        Record($"detach {mountPoint}");
        return !StuckMounts.Contains(mountPoint);
    }

    public void PivotRoot(string rootfs) => Record($"pivot_root {rootfs}");

    public void MoveRoot(string rootfs) => Record($"move {rootfs} onto /");

    private PathHandle Open(string path, string line, string? what = null)
    {
        var handle = new PathHandle(this, _nextHandle++);
        Record($"{line} -> {handle}", what);
        OpenHandles[handle.Id] = path;
        return handle;
    }

    private string PathOf(PathHandle handle) =>
        OpenHandles.TryGetValue(handle.Id, out var path) ? path : throw new InvalidOperationException($"{handle} is not open");

    private void Record(string line, string? what = null)
    {
        Calls.Add(line);
        if (FailAt is { } prefix && line.StartsWith(prefix, StringComparison.Ordinal))
            throw ContainerError.FromErrno(what ?? line, Errno.EPERM);
    }

    private static string Key(string path) => "/" + string.Join('/', ContainerPath.Components(path));

    // "mount SOURCE on TARGET TYPE FLAGS [DATA]"; without a source, "remount TARGET FLAGS" or "propagate TARGET FLAGS".
    private static string MountLine(string? source, string target, string? fsType, ulong flags, string? data)
    {
        var line = source is null
            ? $"{((flags & MS.REMOUNT) != 0 ? "remount" : "propagate")} {target} {FlagNames(flags)}"
            : $"mount {source} on {target} {fsType ?? "none"} {FlagNames(flags)}";
        return string.IsNullOrEmpty(data) ? line : $"{line} {data}";
    }

    private static readonly (ulong Flag, string Name)[] MsNames =
    [
        (MS.RDONLY, "ro"), (MS.NOSUID, "nosuid"), (MS.NODEV, "nodev"), (MS.NOEXEC, "noexec"), (MS.SYNCHRONOUS, "sync"),
        (MS.REMOUNT, "remount"), (MS.MANDLOCK, "mand"), (MS.DIRSYNC, "dirsync"), (MS.NOSYMFOLLOW, "nosymfollow"),
        (MS.NOATIME, "noatime"), (MS.NODIRATIME, "nodiratime"), (MS.BIND, "bind"), (MS.MOVE, "move"), (MS.REC, "rec"),
        (MS.SILENT, "silent"), (MS.POSIXACL, "acl"), (MS.UNBINDABLE, "unbindable"), (MS.PRIVATE, "private"),
        (MS.SLAVE, "slave"), (MS.SHARED, "shared"), (MS.RELATIME, "relatime"), (MS.I_VERSION, "iversion"),
        (MS.STRICTATIME, "strictatime"), (MS.LAZYTIME, "lazytime"),
    ];

    private static readonly (ulong Flag, string Name)[] AttrNameTable =
    [
        (MountAttr.RDONLY, "ro"), (MountAttr.NOSUID, "nosuid"), (MountAttr.NODEV, "nodev"), (MountAttr.NOEXEC, "noexec"),
        (MountAttr.NOATIME, "noatime"), (MountAttr.STRICTATIME, "strictatime"), (MountAttr.NODIRATIME, "nodiratime"),
        (MountAttr.NOSYMFOLLOW, "nosymfollow"),
    ];

    /// <summary>MS_* flags by name, in bit order ("-" for none).</summary>
    public static string FlagNames(ulong flags) => Names(flags, MsNames);

    // MOUNT_ATTR_* by name; a whole ATIME_MASK (the atime setting cleared) is "atime".
    private static string AttrNames(ulong attrs)
    {
        if ((attrs & MountAttr.ATIME_MASK) != MountAttr.ATIME_MASK) return Names(attrs, AttrNameTable);
        var rest = Names(attrs & ~MountAttr.ATIME_MASK, AttrNameTable);
        return rest == "-" ? "atime" : $"{rest},atime";
    }

    private static string Names(ulong bits, (ulong Flag, string Name)[] table)
    {
        var names = new StringBuilder();
        foreach (var (flag, name) in table)
            if ((bits & flag) != 0) names.Append(names.Length > 0 ? "," : "").Append(name);
        return names.Length > 0 ? names.ToString() : "-";
    }
}
