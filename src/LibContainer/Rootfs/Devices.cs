using LibContainer.Interop;
using LibContainer.Syscalls;

namespace LibContainer.Rootfs;

/// <summary>The device nodes and /dev symlinks a container gets when /dev is not bind-mounted from the host.</summary>
internal static class Devices
{
    /// <summary>What runc gives every container: null, zero, full, random, urandom, tty.</summary>
    public static readonly IReadOnlyList<Spec.Device> Defaults =
    [
        new() { Path = "/dev/null", Type = "c", Major = 1, Minor = 3, FileMode = 0x1B6 /* 0666 */, Uid = 0, Gid = 0 },
        new() { Path = "/dev/zero", Type = "c", Major = 1, Minor = 5, FileMode = 0x1B6 /* 0666 */, Uid = 0, Gid = 0 },
        new() { Path = "/dev/full", Type = "c", Major = 1, Minor = 7, FileMode = 0x1B6 /* 0666 */, Uid = 0, Gid = 0 },
        new() { Path = "/dev/random", Type = "c", Major = 1, Minor = 8, FileMode = 0x1B6 /* 0666 */, Uid = 0, Gid = 0 },
        new() { Path = "/dev/urandom", Type = "c", Major = 1, Minor = 9, FileMode = 0x1B6 /* 0666 */, Uid = 0, Gid = 0 },
        new() { Path = "/dev/tty", Type = "c", Major = 5, Minor = 0, FileMode = 0x1B6 /* 0666 */, Uid = 0, Gid = 0 },
    ];

    private static readonly (string Name, string Target)[] Symlinks =
    [
        ("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2"),
    ];

    public static ulong MakeDev(long major, long minor) =>
        (((ulong)major & 0xfffff000) << 32) | (((ulong)major & 0xfff) << 8) |
        (((ulong)minor & 0xffffff00) << 12) | ((ulong)minor & 0xff);

    /// <summary>
    /// Makes the nodes (runc's defaults, then the configured ones) and /dev's symlinks inside `root`;
    /// with `bind` (in a user namespace, where mknod is refused) each node is the host's node at the same path, bound.
    /// </summary>
    public static void Create(ISyscalls sys, PathHandle root, IEnumerable<Spec.Device> configured, bool ptmxToPts, bool bind = false)
    {
        // Later entries win: a configured device replaces a default one at the same path.
        var all = new Dictionary<string, Spec.Device>();
        foreach (var d in Defaults) all[d.Path!] = d;
        foreach (var d in configured) all[d.Path!] = d;
        foreach (var d in all.Values)
        {
            if (bind) BindNode(sys, root, d);
            else MakeNode(sys, root, d);
        }

        using var dev = sys.Resolve(root, "/dev", Lookup.MakeDirectory);
        foreach (var (name, target) in Symlinks) Symlink(sys, dev, name, target, replace: false);
        if (sys.KindOfHostPath("/proc/kcore") == HostPathKind.Other) Symlink(sys, dev, "core", "/proc/kcore", replace: false);
        // A private devpts instance is mounted: /dev/ptmx must lead to its ptmx.
        if (ptmxToPts) Symlink(sys, dev, "ptmx", "pts/ptmx", replace: true);
    }

    private static void MakeNode(ISyscalls sys, PathHandle root, Spec.Device d)
    {
        var type = d.Type switch
        {
            "c" or "u" => StatMode.S_IFCHR,
            "b" => StatMode.S_IFBLK,
            "p" => StatMode.S_IFIFO,
            _ => throw new ContainerError($"config.json: linux.devices: {d.Path}: unknown type \"{d.Type}\""),
        };
        var path = d.Path!;
        using var parent = sys.Resolve(root, ContainerPath.ParentOf(path), Lookup.MakeDirectory);
        var mode = type | ((d.FileMode ?? 0x1B6 /* 0666 */) & 0xFFF /* 07777 */);
        sys.MakeDevice(parent, ContainerPath.NameOf(path), mode, MakeDev(d.Major, d.Minor), d.Uid ?? 0, d.Gid ?? 0, path);
    }

    // The host's node at the device's path: its type, numbers, mode and owner are the host's.
    private static void BindNode(ISyscalls sys, PathHandle root, Spec.Device d)
    {
        var path = d.Path!;
        if (sys.KindOfHostPath(path) != HostPathKind.Other)
            throw new ContainerError($"linux.devices: {path}: device nodes cannot be made in a user namespace, and the host has no {path} to bind instead");
        using var target = sys.Resolve(root, path, Lookup.MakeFile);
        sys.Mount(path, target, null, MS.BIND, null, $"bind of the host's {path}");
    }

    // A link already there is kept (the rootfs may bring its own).
    private static void Symlink(ISyscalls sys, PathHandle dev, string name, string target, bool replace)
    {
        var errno = sys.Symlink(dev, name, target, replace);
        if (errno != 0 && errno != Errno.EEXIST) throw ContainerError.FromErrno($"symlink /dev/{name}", errno);
    }
}
