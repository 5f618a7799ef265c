using LibContainer.Interop;

namespace LibContainer.Syscalls;

/// <summary>
/// The seam between deciding and doing: executors run plans through this, the
/// real implementation (LinuxSyscalls) makes the calls, and unit tests hand in
/// a recording fake. It grows with each plan that moves behind it. Each method
/// throws a ContainerError that says what failed.
/// </summary>
public interface ISyscalls
{
    void SetRlimit(int resource, ulong soft, ulong hard, string what);

    /// <summary>Drops one capability from the bounding set; one the kernel does not know is skipped.</summary>
    void DropBoundingCapability(int capability);

    void SetKeepCapabilities(bool keep);

    void SetGroups(uint[] groups);

    void SetGid(uint gid);

    void SetUid(uint uid);

    void SetCapabilities(ulong effective, ulong permitted, ulong inheritable);

    void ClearAmbientCapabilities();

    void RaiseAmbientCapability(int capability);

    void SetUmask(uint mask);

    void SetNoNewPrivileges();

    /// <summary>
    /// Loads a seccomp filter (struct sock_filter[]) with seccomp(2) flags that include
    /// TSYNC, so every thread gets it. Returns the listener's fd when the flags ask for one, else -1.
    /// </summary>
    int LoadSeccompFilter(byte[] program, uint flags);


    // The root filesystem (Rootfs/RootfsExecutor). A container path is resolved inside the
    // root by the implementation (LinuxSyscalls: openat2 with RESOLVE_IN_ROOT, no magic links),
    // so a symlink in the rootfs cannot lead out of it; the executor holds only handles.
    // "Host path" below means one the runtime trusts: the rootfs itself, "/", a bind source.

    /// <summary>Opens a directory by a host path (the rootfs; "/" once it is the container's) as an O_PATH handle.</summary>
    PathHandle OpenDirectory(string path);

    /// <summary>Opens the host's /dev/null, checked to be the null device 1:3 (CVE-2025-31133).</summary>
    PathHandle OpenDevNull();

    /// <summary>Resolves a container path inside `root`, making it first as `lookup` says.</summary>
    PathHandle Resolve(PathHandle root, string path, Lookup lookup);

    /// <summary>Resolves a container path inside `root` if something is there (null if not); `followLast` false leaves a final symlink as is; `what` names a failure.</summary>
    PathHandle? TryResolve(PathHandle root, string path, bool followLast, string what);

    /// <summary>Closes a handle (PathHandle.Dispose calls it).</summary>
    void Close(PathHandle handle);

    /// <summary>Whether the handle is a directory.</summary>
    bool IsDirectory(PathHandle handle);

    /// <summary>The flags (ro, nosuid, nodev...) of the mount holding the handle that a bind remount of it must repeat.</summary>
    ulong LockedMountFlags(PathHandle handle);

    /// <summary>mount(2) onto the handle: `source` a filesystem's source or a host path to bind; null for a remount or a propagation change.</summary>
    void Mount(string? source, PathHandle target, string? fsType, ulong flags, string? data, string what);

    /// <summary>tmpcopyup: a readable handle on the directory a tmpfs is about to cover, kept to copy from once it is covered.</summary>
    PathHandle OpenContents(PathHandle directory);

    /// <summary>tmpcopyup: copies what `from` holds (files, directories, symlinks, device nodes, owners, modes) into the directory `into`.</summary>
    void CopyTree(PathHandle from, PathHandle into, string what);

    /// <summary>As Mount, but a failure is answered with its errno (0: mounted), for a caller that has another way.</summary>
    int TryMount(string? source, PathHandle target, string? fsType, ulong flags, string? data, string what);

    /// <summary>A bind mount of one handle onto another (recursive: MS_REC).</summary>
    void Bind(PathHandle source, PathHandle target, bool recursive, string what);

    /// <summary>mount_setattr(2) on the mount at the handle and every mount below it; false where the kernel lacks it (before 5.12).</summary>
    bool SetMountAttributes(PathHandle target, ulong set, ulong clear, string what);

    /// <summary>mount(2) onto a host path, not one inside the container: "/", the rootfs, the host's procfs; null source as in Mount.</summary>
    void MountPath(string? source, string path, string? fsType, ulong flags, string? data, string what);

    /// <summary>Makes device node `name` in the directory, replacing what is there, owned by uid:gid; `path` names it in errors.</summary>
    void MakeDevice(PathHandle dir, string name, uint mode, ulong device, uint uid, uint gid, string path);

    /// <summary>symlinkat(2) of `name` in the directory, after unlinking what is there if `replace`: 0, or the errno.</summary>
    int Symlink(PathHandle dir, string name, string target, bool replace);

    /// <summary>What is at a host path (a bind source, /proc/kcore).</summary>
    HostPathKind KindOfHostPath(string path);

    /// <summary>The mounts this process sees (/proc/self/mountinfo).</summary>
    IReadOnlyList<MountInfo> Mounts();

    /// <summary>Makes a host mount a slave and detaches it; false if it is there but will not detach (one gone already counts as detached).</summary>
    bool DetachHostMount(string mountPoint);

    /// <summary>Makes the rootfs the root with pivot_root(2) and drops the old root; the cwd is the new "/".</summary>
    void PivotRoot(string rootfs);

    /// <summary>Moves the rootfs onto "/" and chroots into it (--no-pivot); the cwd is the new "/".</summary>
    void MoveRoot(string rootfs);

    // Terminals (Terminal/ContainerConsole), after pivot_root: `root` is the container's "/".

    /// <summary>
    /// A new pty in the container's devpts: its /dev/ptmx resolved inside `root`, checked to be a
    /// devpts ptmx (5:2 on devpts), unlocked; the slave is opened from the master (TIOCGPTPEER),
    /// never by a path the container could swap.
    /// </summary>
    Terminal.Pty OpenPty(PathHandle root);

    /// <summary>Sets the pty's window size (TIOCSWINSZ).</summary>
    void ResizePty(Terminal.Pty pty, ushort rows, ushort columns);

    /// <summary>
    /// /dev/console inside `root` as a bind target: made an empty file (0666) if nothing is there,
    /// as runc does, and opened without following a symlink; anything there but a regular file or
    /// a character device is refused (a symlink could lead the bind out of /dev, CVE-2025-52565).
    /// </summary>
    PathHandle MakeConsole(PathHandle root);

    /// <summary>Binds the pty's slave onto the handle (open_tree + move_mount: fd to fd, no path).</summary>
    void BindPty(Terminal.Pty pty, PathHandle target, string what);

    /// <summary>
    /// Makes the pty's slave stdin, stdout and stderr and the controlling terminal of a new session
    /// (setsid, TIOCSCTTY), owned by `uid` so the process can reopen it (runc's fixStdioPermissions).
    /// </summary>
    void AttachTerminal(Terminal.Pty pty, uint uid);
}
