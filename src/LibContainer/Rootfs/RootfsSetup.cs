using LibContainer.Interop;
using LibContainer.Kernel;
using LibContainer.Processes;
using LibContainer.Spec;

namespace LibContainer.Rootfs;

/// <summary>
/// Builds the container's root filesystem inside init's new mount namespace:
/// the rootfs bind, every entry of `mounts`, devices, masked and read-only
/// paths, then pivot_root. Every target is resolved inside the rootfs and
/// mounted through its fd (/proc/self/fd/N of the host's procfs, which init
/// keeps open), so a symlink planted in the rootfs cannot redirect a mount.
/// </summary>
internal sealed class RootfsSetup(InitConfig config)
{
    private readonly RuntimeSpec _spec = config.Spec;
    private readonly string _rootfs = config.Rootfs;
    private readonly RootfsPlan _plan = RootfsPlan.For(config.Spec, config.Bundle, config.NoPivot);

    /// <summary>Everything up to and including pivot_root; `beforePivot` runs once the mounts are in place (the create-time hooks).</summary>
    public void Run(Action? beforePivot = null)
    {
        PrepareRoot();
        using (var root = Fd.Open(_rootfs, O.PATH | O.DIRECTORY))
        {
            foreach (var step in _plan.Mounts) MountEntry(root, step);
            if (_plan.CreateDevices) Devices.Create(root, _spec.Linux?.Devices ?? [], _plan.PtmxToPts);
            MaskAndProtect(root);
            if (_plan.ReadOnlyDev) MakeDevReadOnly(root);
            TryMakeCwd(root);
        }
        beforePivot?.Invoke();
        if (_plan.Pivot) PivotRoot(); else MoveRoot();
        FinishRoot();
    }

    // Before pivot_root, /proc is still the host's procfs, so /proc/self/fd/N names init's own fds.
    private static string ProcPath(Fd fd) => fd.ProcPath;

    private void PrepareRoot()
    {
        Mounts.Mount(null, "/", null, _plan.RootPropagation, null, "/ with the rootfs propagation");
        if (_plan.MakeParentPrivate) MakeParentPrivate();
        Mounts.Mount(_rootfs, _rootfs, null, MS.BIND | MS.REC, null, $"bind of the rootfs {_rootfs}");
    }

    // pivot_root refuses a new root whose parent mount is shared.
    private void MakeParentPrivate()
    {
        var parent = Path.GetDirectoryName(_rootfs.TrimEnd('/')) ?? "/";
        var best = "/";
        foreach (var mount in MountInfo.OfThisProcess())
        {
            var mp = mount.MountPoint;
            if ((parent == mp || parent.StartsWith(mp.TrimEnd('/') + "/")) && mp.Length > best.Length) best = mp;
        }
        Mounts.Mount(null, best, null, MS.PRIVATE, null, $"{best} private");
    }

    private void MountEntry(Fd root, MountStep step)
    {
        var (where, dest, options) = (step.Where, step.Destination, step.Options);
        switch (step.Kind)
        {
            case MountKind.Cgroup:
                MountCgroup(root, dest, step.Source, options, where);
                return;
            case MountKind.Bind:
            {
                var source = step.Source;
                if (!Path.Exists(source)) throw new ContainerError($"{where}: bind source {source} does not exist");
                using var target = Directory.Exists(source) ? SafePath.MkdirAll(root, dest) : SafePath.CreateFile(root, dest);
                Mounts.Mount(source, ProcPath(target), null, MS.BIND | step.Flags, null, $"{source} on {dest}");
                if (step.RemountFlags != 0)
                {
                    using var mounted = SafePath.Open(root, dest, O.PATH);
                    Mounts.Mount(null, ProcPath(mounted), null, step.BindRemountFlags(Mounts.LockedFlags(mounted)), null, $"remount of {dest}");
                }
                break;
            }
            default:
            {
                if (step.IsProc) CheckProcDestination(root, dest, where);
                using var target = SafePath.MkdirAll(root, dest);
                Mounts.Mount(step.Source, ProcPath(target), step.FsType, step.Flags, options.Data, $"{step.FsType} on {dest}");
                break;
            }
        }
        if (options.Propagation.Count > 0)
        {
            using var mounted = SafePath.Open(root, dest, O.PATH);
            foreach (var p in options.Propagation)
                Mounts.Mount(null, ProcPath(mounted), null, p, null, $"propagation of {dest}");
        }
        Mounts.ApplyRecursiveOptions(root, dest, options, where);
    }

    // A procfs anywhere but /proc could be used to hide the real one from LSM checks (CVE-2019-16884);
    // and /proc itself must be a directory, not a symlink that puts the procfs somewhere else.
    private static void CheckProcDestination(Fd root, string dest, string where)
    {
        if (dest.TrimEnd('/') != "/proc")
            throw new ContainerError($"config.json: {where}.destination: proc may only be mounted on /proc, not {dest}");
        var fd = SafePath.TryOpen(root, dest, O.PATH | O.NOFOLLOW);
        if (fd == -Errno.ENOENT) return;
        if (fd < 0) throw ContainerError.FromErrno($"{where}: open /proc in the container", -fd);
        using var target = new Fd(fd);
        if (!Mounts.IsDirectory(target))
            throw new ContainerError($"{where}: /proc in the root filesystem must be an ordinary directory, not a symlink or a file");
    }

    /// <summary>
    /// The container's own cgroups where the config asks for cgroupfs, with the
    /// mount's options on every mount of it (CgroupMountPlan decides which mounts).
    /// </summary>
    private void MountCgroup(Fd root, string dest, string? source, MountOptions options, string where)
    {
        var cgroupNamespace = (_spec.Linux?.Namespaces ?? []).Exists(n => n.Type == "cgroup");
        var plan = Cgroups.CgroupMountPlan.For(config.CgroupMounts, source, options, cgroupNamespace);
        using (var target = SafePath.MkdirAll(root, dest))
        {
            var what = plan.Kind == Cgroups.CgroupMountKind.BindUnified ? $"{where}: bind of the cgroup {plan.Source} on {dest}" : $"{where}: {plan.FsType} on {dest}";
            Mounts.Mount(plan.Source, ProcPath(target), plan.FsType.Length == 0 ? null : plan.FsType, plan.MountFlags, plan.Data, what);
        }
        if (plan.Kind == Cgroups.CgroupMountKind.TmpfsWithBinds) BindHierarchies(root, dest, where);
        // A new cgroup2 took the options as it was mounted; binds keep their source's flags until set here.
        if (plan.Kind != Cgroups.CgroupMountKind.Cgroup2 && (plan.AttrSet | plan.AttrClear) != 0)
        {
            bool done;
            using (var mounted = SafePath.Open(root, dest, O.PATH))
                done = Mounts.TrySetAttributesRecursive(mounted, plan.AttrSet, plan.AttrClear, $"{where}: {dest} with its options");
            if (!done)
            {
                // Kernels before 5.12: one remount per mount, the tmpfs last.
                var flags = options.Flags & ~(MS.BIND | MS.REC | MS.REMOUNT);
                if (plan.Kind == Cgroups.CgroupMountKind.TmpfsWithBinds)
                {
                    foreach (var hierarchy in config.CgroupMounts)
                        RemountBind(root, $"{dest.TrimEnd('/')}/{hierarchy.Name}", flags, options.ClearedFlags, $"{where}: cgroup {hierarchy.Name}");
                    using var mounted = SafePath.Open(root, dest, O.PATH);
                    Mounts.Mount(null, ProcPath(mounted), null, flags | MS.REMOUNT, plan.Data, $"{where}: remount of {dest}");
                }
                else
                    RemountBind(root, dest, flags, options.ClearedFlags, $"{where}: cgroup2");
            }
        }
        Mounts.ApplyRecursiveOptions(root, dest, options, where);
    }

    // A bind of the container's directory in each hierarchy, below the tmpfs at `dest`.
    private void BindHierarchies(Fd root, string dest, string where)
    {
        foreach (var source in config.CgroupMounts)
        {
            var sub = $"{dest.TrimEnd('/')}/{source.Name}";
            using (var subTarget = SafePath.MkdirAll(root, sub))
                Mounts.Mount(source.HostPath, ProcPath(subTarget), null, MS.BIND | MS.REC, null, $"{where}: cgroup {source.Name}");
            // Co-mounted controllers ("cpu,cpuacct") are also reachable by each name, as on the host.
            if (source.Name.Contains(','))
                using (var dir = SafePath.Open(root, dest, O.PATH | O.DIRECTORY))
                    foreach (var alias in source.Name.Split(','))
                        LibC.symlinkat(source.Name, dir.Value, alias);
        }
    }

    // A bind takes new flags by a remount that repeats the flags it must keep, less those the config clears.
    private static void RemountBind(Fd root, string dest, ulong flags, ulong cleared, string what)
    {
        using var mounted = SafePath.Open(root, dest, O.PATH);
        var kept = Mounts.LockedFlags(mounted) & ~cleared;
        const ulong atime = MS.NOATIME | MS.RELATIME | MS.STRICTATIME;
        if ((flags & atime) != 0) kept &= ~atime; // the config's atime setting replaces the source's
        Mounts.Mount(null, ProcPath(mounted), null, MS.BIND | MS.REMOUNT | flags | kept, null, $"remount of {what}");
    }

    private static void MakeDevReadOnly(Fd root)
    {
        using var dev = SafePath.Open(root, "/dev", O.PATH);
        Mounts.Mount(null, ProcPath(dev), null, MS.BIND | MS.REMOUNT | MS.RDONLY | Mounts.LockedFlags(dev), null, "/dev read-only");
    }

    /// <summary>maskedPaths and readonlyPaths, resolved inside the rootfs.</summary>
    private void MaskAndProtect(Fd root)
    {
        var masked = _plan.MaskedPaths;
        if (masked.Count > 0)
        {
            using var devNull = DevNull();
            foreach (var path in masked)
            {
                var fd = SafePath.TryOpen(root, path, O.PATH);
                if (fd == -Errno.ENOENT) continue;
                if (fd < 0) throw ContainerError.FromErrno($"linux.maskedPaths: open {path}", -fd);
                using var target = new Fd(fd);
                if (RootfsPlan.MaskFor(Mounts.IsDirectory(target)) == MaskKind.ReadOnlyTmpfs)
                    Mounts.Mount("tmpfs", ProcPath(target), "tmpfs", MS.RDONLY, null, $"tmpfs over masked {path}");
                else
                    Mounts.Mount(ProcPath(devNull), ProcPath(target), null, MS.BIND, null, $"/dev/null over masked {path}");
            }
        }
        foreach (var path in _plan.ReadonlyPaths)
        {
            var fd = SafePath.TryOpen(root, path, O.PATH);
            if (fd == -Errno.ENOENT) continue;
            if (fd < 0) throw ContainerError.FromErrno($"linux.readonlyPaths: open {path}", -fd);
            using (var target = new Fd(fd))
                Mounts.Mount(ProcPath(target), ProcPath(target), null, MS.BIND | MS.REC, null, $"bind of read-only {path}");
            using var mounted = SafePath.Open(root, path, O.PATH);
            Mounts.Mount(null, ProcPath(mounted), null, MS.BIND | MS.REMOUNT | MS.RDONLY | MS.REC | Mounts.LockedFlags(mounted), null, $"read-only {path}");
        }
    }

    // The host's /dev/null, checked to be the real 1:3 character device before it is mounted anywhere (CVE-2025-31133).
    private static Fd DevNull()
    {
        var fd = Fd.Open("/dev/null", O.PATH);
        var st = Mounts.StatOf(fd);
        if ((st.Mode & StatMode.S_IFMT) != StatMode.S_IFCHR || st.Rdev != Devices.MakeDev(1, 3))
        {
            fd.Dispose();
            throw new ContainerError("/dev/null on the host is not the null device (1:3)");
        }
        return fd;
    }

    private void TryMakeCwd(Fd root)
    {
        if (_plan.Cwd is not { } cwd) return;
        try { SafePath.MkdirAll(root, cwd).Dispose(); }
        catch (ContainerError) { /* a read-only rootfs may already have it; chdir reports a real problem */ }
    }

    private void PivotRoot()
    {
        using var oldRoot = Fd.Open("/", O.RDONLY | O.DIRECTORY);
        using var newRoot = Fd.Open(_rootfs, O.RDONLY | O.DIRECTORY);
        Syscall.Check(LibC.fchdir(newRoot.Value), $"chdir {_rootfs}");
        // pivot_root(".", ".") stacks the old root on top of the new one; detaching "." then drops it.
        PivotRootDot();
        Syscall.Check(LibC.fchdir(oldRoot.Value), "chdir to the old root");
        Mounts.Mount(null, ".", null, MS.SLAVE | MS.REC, null, "old root as slave");
        Syscall.Check(LibC.umount2(".", 2 /* MNT_DETACH */), "unmount the old root");
        Syscall.Check(LibC.chdir("/"), "chdir /");
    }

    private void MoveRoot()
    {
        HideHostProcAndSys();
        Syscall.Check(LibC.chdir(_rootfs), $"chdir {_rootfs}");
        Mounts.Mount(_rootfs, "/", null, MS.MOVE, null, "move of the rootfs onto /");
        Syscall.Check(LibC.chroot("."), "chroot");
        Syscall.Check(LibC.chdir("/"), "chdir /");
    }

    // Without pivot_root the host's mounts stay in the container's mount namespace,
    // out of sight below the chroot; a fully visible procfs or sysfs among them lets
    // the container mount a fresh one (the kernel allows a new procfs only where one
    // is visible already), so, as runc does, each is detached, or covered.
    private void HideHostProcAndSys()
    {
        var rootfs = _rootfs.TrimEnd('/');
        foreach (var (mountRoot, mountPoint, fsType, _) in MountInfo.OfThisProcess())
        {
            if (mountRoot != "/" || fsType is not ("proc" or "sysfs")) continue;
            if (mountPoint == rootfs || mountPoint.StartsWith(rootfs + "/", StringComparison.Ordinal)) continue;
            if (LibC.mount(null, mountPoint, null, MS.SLAVE | MS.REC, null) < 0) continue; // gone already
            if (LibC.umount2(mountPoint, 2 /* MNT_DETACH */) < 0)
                Mounts.Mount("tmpfs", mountPoint, "tmpfs", MS.RDONLY, null, $"tmpfs over the host's {mountPoint}");
        }
    }

    private void FinishRoot()
    {
        if (_plan.FinalPropagation is { } propagation)
            Mounts.Mount(null, "/", null, propagation, null, "/ with the rootfs propagation");
        if (_plan.RootReadOnly)
        {
            using var root = Fd.Open("/", O.PATH | O.DIRECTORY);
            Mounts.Mount(null, "/", null, MS.BIND | MS.REMOUNT | MS.RDONLY | Mounts.LockedFlags(root), null, "/ read-only");
        }
    }

    private static unsafe void PivotRootDot()
    {
        fixed (byte* dot = ".\0"u8)
            Syscall.Check(LibC.syscall(Sys.pivot_root, (long)dot, (long)dot, 0, 0, 0), "pivot_root");
    }
}
