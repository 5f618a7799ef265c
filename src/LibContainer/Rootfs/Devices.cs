using LibContainer.Interop;
using LibContainer.Processes;

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

    public static void Create(Fd root, IEnumerable<Spec.Device> configured, bool ptmxToPts)
    {
        // Later entries win: a configured device replaces a default one at the same path.
        var all = new Dictionary<string, Spec.Device>();
        foreach (var d in Defaults) all[d.Path!] = d;
        foreach (var d in configured) all[d.Path!] = d;
        foreach (var d in all.Values) MakeNode(root, d);

        using var dev = SafePath.MkdirAll(root, "/dev");
        foreach (var (name, target) in Symlinks) Symlink(dev, name, target);
        if (File.Exists("/proc/kcore")) Symlink(dev, "core", "/proc/kcore");
        if (ptmxToPts)
        {
            // A private devpts instance is mounted: /dev/ptmx must lead to its ptmx.
            LibC.unlinkat(dev.Value, "ptmx", 0);
            Symlink(dev, "ptmx", "pts/ptmx");
        }
    }

    private static void MakeNode(Fd root, Spec.Device d)
    {
        var type = d.Type switch
        {
            "c" or "u" => StatMode.S_IFCHR,
            "b" => StatMode.S_IFBLK,
            "p" => StatMode.S_IFIFO,
            _ => throw new ContainerError($"config.json: linux.devices: {d.Path}: unknown type \"{d.Type}\""),
        };
        var path = d.Path!;
        using var parent = SafePath.MkdirAll(root, SafePath.ParentOf(path));
        var name = SafePath.NameOf(path);
        LibC.unlinkat(parent.Value, name, 0);
        var mode = type | ((d.FileMode ?? 0x1B6 /* 0666 */) & 0xFFF /* 07777 */);
        if (LibC.mknodat(parent.Value, name, mode, MakeDev(d.Major, d.Minor)) < 0)
            throw ContainerError.FromErrno($"create device {path}", Syscall.LastErrno);
        if (LibC.fchownat(parent.Value, name, d.Uid ?? 0, d.Gid ?? 0, AT.SYMLINK_NOFOLLOW) < 0)
            throw ContainerError.FromErrno($"chown device {path}", Syscall.LastErrno);
    }

    private static void Symlink(Fd dev, string name, string target)
    {
        if (LibC.symlinkat(target, dev.Value, name) < 0 && Syscall.LastErrno != Errno.EEXIST)
            throw ContainerError.FromErrno($"symlink /dev/{name}", Syscall.LastErrno);
    }
}
