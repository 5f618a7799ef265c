using LibContainer.Interop;

namespace LibContainer.Exec;

/// <summary>
/// The namespaces an exec joins: every one of the container's init that is
/// not the caller's own, found by comparing /proc/PID/ns with /proc/self/ns
/// (a container given the host's network, say, has nothing to join there).
/// The user namespace comes first (it owns the others) and the mount
/// namespace last, as the C stage needs them.
/// </summary>
internal static class ContainerNamespaces
{
    // /proc/PID/ns names, in joining order, with the clone(2) flag of each.
    private static readonly (string Name, int Flag)[] Kinds =
    [
        ("user", Clone.NEWUSER), ("ipc", Clone.NEWIPC), ("uts", Clone.NEWUTS), ("net", Clone.NEWNET),
        ("pid", Clone.NEWPID), ("cgroup", Clone.NEWCGROUP), ("time", Clone.NEWTIME), ("mnt", Clone.NEWNS),
    ];

    public static List<(int Type, string Path)> Of(int pid)
    {
        var join = new List<(int, string)>();
        foreach (var (name, flag) in Kinds)
        {
            var theirs = $"/proc/{pid}/ns/{name}";
            if (LibC.fstatat(AT.FDCWD, $"/proc/self/ns/{name}", out var own, 0) < 0) continue; // the kernel lacks this kind
            if (LibC.fstatat(AT.FDCWD, theirs, out var container, 0) < 0)
                throw ContainerError.FromErrno($"read the container's {name} namespace", Syscall.LastErrno);
            if (own.Ino != container.Ino || own.Dev != container.Dev) join.Add((flag, theirs));
        }
        return join;
    }
}
