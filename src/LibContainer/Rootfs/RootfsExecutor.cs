using LibContainer.Interop;
using LibContainer.Kernel;
using LibContainer.Processes;
using LibContainer.Spec;
using LibContainer.Syscalls;
using LibContainer.Terminal;

namespace LibContainer.Rootfs;

/// <summary>
/// Carries out the RootfsPlan inside init's new mount namespace, through
/// ISyscalls: the rootfs bind, every entry of `mounts`, devices, masked and
/// read-only paths, then pivot_root. It decides only what depends on what is
/// on disk (file or directory, the flags a bind inherits); every container
/// path is resolved inside the rootfs by ISyscalls, and the executor mounts
/// onto the handles it gets back, so a symlink planted in the rootfs cannot
/// redirect a mount.
/// </summary>
internal sealed class RootfsExecutor(InitConfig config, ISyscalls sys)
{
    private readonly RuntimeSpec _spec = config.Spec;
    private readonly string _rootfs = config.Rootfs;
    private readonly RootfsPlan _plan = RootfsPlan.For(config.Spec, config.Bundle, config.NoPivot);

    /// <summary>
    /// Everything up to and including pivot_root, then what runc does in the new root: the console
    /// (process.terminal), then the read-only remounts of /dev and "/". `beforePivot` runs once the
    /// mounts are in place (the create-time hooks). Returns the console's pty (null without
    /// process.terminal), which the caller owns.
    /// </summary>
    public Pty? Run(Action? beforePivot = null)
    {
        PrepareRoot();
        using (var root = sys.OpenDirectory(_rootfs))
        {
            foreach (var step in _plan.Mounts) MountEntry(root, step);
            if (_plan.CreateDevices) Devices.Create(sys, root, _spec.Linux?.Devices ?? [], _plan.PtmxToPts, _plan.BindDevices);
            MaskAndProtect(root);
            TryMakeCwd(root);
        }
        beforePivot?.Invoke();
        if (_plan.Pivot) sys.PivotRoot(_rootfs);
        else
        {
            HideHostProcAndSys();
            sys.MoveRoot(_rootfs);
        }
        return FinishRoot();
    }

    private void PrepareRoot()
    {
        sys.MountPath(null, "/", null, _plan.RootPropagation, null, "/ with the rootfs propagation");
        if (_plan.MakeParentPrivate) MakeParentPrivate();
        try
        {
            sys.MountPath(_rootfs, _rootfs, null, MS.BIND | MS.REC, null, $"bind of the rootfs {_rootfs}");
        }
        catch (ContainerError e) when (_plan.InUserNamespace && e.Message.EndsWith(Errno.Describe(Errno.EACCES), StringComparison.Ordinal))
        {
            // Init is the user namespace's root, an unprivileged host user: the path must be open to it.
            throw new ContainerError($"{e.Message} (in a user namespace the container's root is the host user its uid 0 maps to: every directory on the path to the rootfs must be searchable by that user)");
        }
    }

    // pivot_root refuses a new root whose parent mount is shared.
    private void MakeParentPrivate()
    {
        var parent = Path.GetDirectoryName(_rootfs.TrimEnd('/')) ?? "/";
        var best = "/";
        foreach (var mount in sys.Mounts())
        {
            var mp = mount.MountPoint;
            if ((parent == mp || parent.StartsWith(mp.TrimEnd('/') + "/")) && mp.Length > best.Length) best = mp;
        }
        sys.MountPath(null, best, null, MS.PRIVATE, null, $"{best} private");
    }

    private void MountEntry(PathHandle root, MountStep step)
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
                var kind = sys.KindOfHostPath(source);
                if (kind == HostPathKind.Missing) throw new ContainerError($"{where}: bind source {source} does not exist");
                using var target = sys.Resolve(root, dest, kind == HostPathKind.Directory ? Lookup.MakeDirectory : Lookup.MakeFile);
                sys.Mount(source, target, null, MS.BIND | step.Flags, null, $"{source} on {dest}");
                if (step.RemountFlags != 0)
                {
                    using var mounted = sys.Resolve(root, dest, Lookup.Existing);
                    sys.Mount(null, mounted, null, step.BindRemountFlags(sys.LockedMountFlags(mounted)), null, $"remount of {dest}");
                }
                break;
            }
            case MountKind.Filesystem when options.CopyUp:
                MountWithCopyUp(root, step);
                break;
            default:
            {
                if (step.IsProc) CheckProcDestination(root, dest, where);
                using var target = sys.Resolve(root, dest, Lookup.MakeDirectory);
                if (step.FsType == "sysfs" && _plan.InUserNamespace)
                {
                    // A sysfs needs the network namespace owned by the container's user namespace; where it
                    // is not (the host's, or one joined), the host's /sys is bound instead, as runc 1.2 does.
                    var errno = sys.TryMount(step.Source, target, step.FsType, step.Flags, options.Data, $"{step.FsType} on {dest}");
                    if (errno == 0) break;
                    if (errno != Errno.EPERM) throw ContainerError.FromErrno($"mount {step.FsType} on {dest}", errno);
                    sys.Mount("/sys", target, null, MS.BIND | MS.REC, null, $"{where}: bind of the host's /sys on {dest} (no sysfs of a network namespace the user namespace does not own)");
                    using var bound = sys.Resolve(root, dest, Lookup.Existing);
                    var flags = step.Flags & ~(MS.BIND | MS.REC | MS.REMOUNT);
                    sys.Mount(null, bound, null, MS.BIND | MS.REMOUNT | flags | (sys.LockedMountFlags(bound) & ~options.ClearedFlags), null, $"remount of {dest}");
                    break;
                }
                sys.Mount(step.Source, target, step.FsType, step.Flags, options.Data, $"{step.FsType} on {dest}");
                break;
            }
        }
        if (options.Propagation.Count > 0)
        {
            using var mounted = sys.Resolve(root, dest, Lookup.Existing);
            foreach (var p in options.Propagation)
                sys.Mount(null, mounted, null, p, null, $"propagation of {dest}");
        }
        ApplyRecursiveOptions(root, dest, options, where);
    }

    /// <summary>
    /// tmpcopyup (runc's extension, which podman's --read-only and --tmpfs use): the tmpfs starts
    /// with what the directory it covers holds. That directory is opened before it is covered and
    /// copied from by fd; a read-only tmpfs is made read-only once filled.
    /// </summary>
    private void MountWithCopyUp(PathHandle root, MountStep step)
    {
        var (where, dest) = (step.Where, step.Destination);
        if (step.FsType != "tmpfs")
            throw new ContainerError($"config.json: {where}.options: tmpcopyup is for tmpfs mounts, not {step.FsType}");
        using var target = sys.Resolve(root, dest, Lookup.MakeDirectory);
        using var below = sys.OpenContents(target);
        sys.Mount(step.Source, target, step.FsType, step.Flags & ~MS.RDONLY, step.Options.Data, $"{step.FsType} on {dest}");
        using var mounted = sys.Resolve(root, dest, Lookup.Existing);
        sys.CopyTree(below, mounted, $"{where}: {dest}");
        if ((step.Flags & MS.RDONLY) != 0)
            sys.Mount(null, mounted, null, step.Flags | MS.REMOUNT, step.Options.Data, $"read-only remount of {dest}");
    }

    // A procfs anywhere but /proc could be used to hide the real one from LSM checks (CVE-2019-16884);
    // and /proc itself must be a directory, not a symlink that puts the procfs somewhere else.
    private void CheckProcDestination(PathHandle root, string dest, string where)
    {
        if (dest.TrimEnd('/') != "/proc")
            throw new ContainerError($"config.json: {where}.destination: proc may only be mounted on /proc, not {dest}");
        if (sys.TryResolve(root, dest, followLast: false, $"{where}: open /proc in the container") is not { } target) return;
        using (target)
            if (!sys.IsDirectory(target))
                throw new ContainerError($"{where}: /proc in the root filesystem must be an ordinary directory, not a symlink or a file");
    }

    /// <summary>A mount's recursive options (rro, rnosuid, ...), applied to what is now mounted at `dest` and below it.</summary>
    private void ApplyRecursiveOptions(PathHandle root, string dest, MountOptions options, string where)
    {
        if (options.RecursiveOptions.Count == 0) return;
        var names = string.Join(',', options.RecursiveOptions);
        using var mounted = sys.Resolve(root, dest, Lookup.Existing);
        if (!sys.SetMountAttributes(mounted, options.RecursiveSet, options.RecursiveClear, $"{where}: {dest} with {names}"))
            throw new ContainerError($"{where}.options: mount option \"{options.RecursiveOptions[0]}\" needs mount_setattr(2) (Linux 5.12 or later), which this kernel does not have");
    }

    /// <summary>
    /// The container's own cgroups where the config asks for cgroupfs, with the
    /// mount's options on every mount of it (CgroupMountPlan decides which mounts).
    /// </summary>
    private void MountCgroup(PathHandle root, string dest, string? source, MountOptions options, string where)
    {
        var cgroupNamespace = (_spec.Linux?.Namespaces ?? []).Exists(n => n.Type == "cgroup");
        var plan = Cgroups.CgroupMountPlan.For(config.CgroupMounts, source, options, cgroupNamespace);
        using (var target = sys.Resolve(root, dest, Lookup.MakeDirectory))
        {
            var what = plan.Kind == Cgroups.CgroupMountKind.BindUnified ? $"{where}: bind of the cgroup {plan.Source} on {dest}" : $"{where}: {plan.FsType} on {dest}";
            sys.Mount(plan.Source, target, plan.FsType.Length == 0 ? null : plan.FsType, plan.MountFlags, plan.Data, what);
        }
        if (plan.Kind == Cgroups.CgroupMountKind.TmpfsWithBinds) BindHierarchies(root, dest, where);
        // A new cgroup2 took the options as it was mounted; binds keep their source's flags until set here.
        if (plan.Kind != Cgroups.CgroupMountKind.Cgroup2 && (plan.AttrSet | plan.AttrClear) != 0)
        {
            bool done;
            using (var mounted = sys.Resolve(root, dest, Lookup.Existing))
                done = sys.SetMountAttributes(mounted, plan.AttrSet, plan.AttrClear, $"{where}: {dest} with its options");
            if (!done)
            {
                // Kernels before 5.12: one remount per mount, the tmpfs last.
                var flags = options.Flags & ~(MS.BIND | MS.REC | MS.REMOUNT);
                if (plan.Kind == Cgroups.CgroupMountKind.TmpfsWithBinds)
                {
                    foreach (var hierarchy in config.CgroupMounts)
                        RemountBind(root, $"{dest.TrimEnd('/')}/{hierarchy.Name}", flags, options.ClearedFlags, $"{where}: cgroup {hierarchy.Name}");
                    using var mounted = sys.Resolve(root, dest, Lookup.Existing);
                    sys.Mount(null, mounted, null, flags | MS.REMOUNT, plan.Data, $"{where}: remount of {dest}");
                }
                else
                    RemountBind(root, dest, flags, options.ClearedFlags, $"{where}: cgroup2");
            }
        }
        ApplyRecursiveOptions(root, dest, options, where);
    }

    // A bind of the container's directory in each hierarchy, below the tmpfs at `dest`.
    private void BindHierarchies(PathHandle root, string dest, string where)
    {
        foreach (var source in config.CgroupMounts)
        {
            var sub = $"{dest.TrimEnd('/')}/{source.Name}";
            using (var subTarget = sys.Resolve(root, sub, Lookup.MakeDirectory))
                sys.Mount(source.HostPath, subTarget, null, MS.BIND | MS.REC, null, $"{where}: cgroup {source.Name}");
            // Co-mounted controllers ("cpu,cpuacct") are also reachable by each name, as on the host.
            if (source.Name.Contains(','))
                using (var dir = sys.Resolve(root, dest, Lookup.Directory))
                    foreach (var alias in source.Name.Split(','))
                        sys.Symlink(dir, alias, source.Name, replace: false);
        }
    }

    // A bind takes new flags by a remount that repeats the flags it must keep, less those the config clears.
    private void RemountBind(PathHandle root, string dest, ulong flags, ulong cleared, string what)
    {
        using var mounted = sys.Resolve(root, dest, Lookup.Existing);
        var kept = sys.LockedMountFlags(mounted) & ~cleared;
        const ulong atime = MS.NOATIME | MS.RELATIME | MS.STRICTATIME;
        if ((flags & atime) != 0) kept &= ~atime; // the config's atime setting replaces the source's
        sys.Mount(null, mounted, null, MS.BIND | MS.REMOUNT | flags | kept, null, $"remount of {what}");
    }

    // In the new root, after the console: by path, as "/" is below, since the host's procfs that
    // makes a handle a mount target is gone (the path leads where the /dev mount went: nothing of
    // the container has run yet).
    private void MakeDevReadOnly(PathHandle root)
    {
        using var dev = sys.Resolve(root, "/dev", Lookup.Existing);
        sys.MountPath(null, "/dev", null, MS.BIND | MS.REMOUNT | MS.RDONLY | sys.LockedMountFlags(dev), null, "/dev read-only");
    }

    // A pty in the container's devpts, bound over /dev/console.
    private Pty MakeConsole(PathHandle root)
    {
        var pty = ContainerConsole.Open(sys, root, _spec.Process?.ConsoleSize);
        try
        {
            ContainerConsole.BindConsole(sys, root, pty);
            return pty;
        }
        catch
        {
            pty.Dispose();
            throw;
        }
    }

    /// <summary>maskedPaths and readonlyPaths, resolved inside the rootfs.</summary>
    private void MaskAndProtect(PathHandle root)
    {
        var masked = _plan.MaskedPaths;
        if (masked.Count > 0)
        {
            using var devNull = sys.OpenDevNull();
            foreach (var path in masked)
            {
                if (sys.TryResolve(root, path, followLast: true, $"linux.maskedPaths: open {path}") is not { } target) continue;
                using (target)
                {
                    if (RootfsPlan.MaskFor(sys.IsDirectory(target)) == MaskKind.ReadOnlyTmpfs)
                        sys.Mount("tmpfs", target, "tmpfs", MS.RDONLY, null, $"tmpfs over masked {path}");
                    else
                        sys.Bind(devNull, target, recursive: false, $"/dev/null over masked {path}");
                }
            }
        }
        foreach (var path in _plan.ReadonlyPaths)
        {
            if (sys.TryResolve(root, path, followLast: true, $"linux.readonlyPaths: open {path}") is not { } target) continue;
            using (target)
                sys.Bind(target, target, recursive: true, $"bind of read-only {path}");
            using var mounted = sys.Resolve(root, path, Lookup.Existing);
            sys.Mount(null, mounted, null, MS.BIND | MS.REMOUNT | MS.RDONLY | MS.REC | sys.LockedMountFlags(mounted), null, $"read-only {path}");
        }
    }

    private void TryMakeCwd(PathHandle root)
    {
        if (_plan.Cwd is not { } cwd) return;
        try { sys.Resolve(root, cwd, Lookup.MakeDirectory).Dispose(); }
        catch (ContainerError) { /* a read-only rootfs may already have it; chdir reports a real problem */ }
    }

    // Without pivot_root the host's mounts stay in the container's mount namespace,
    // out of sight below the chroot; a fully visible procfs or sysfs among them lets
    // the container mount a fresh one (the kernel allows a new procfs only where one
    // is visible already), so, as runc does, each is detached, or covered.
    private void HideHostProcAndSys()
    {
        var rootfs = _rootfs.TrimEnd('/');
        foreach (var (mountRoot, mountPoint, fsType, _) in sys.Mounts())
        {
            if (mountRoot != "/" || fsType is not ("proc" or "sysfs")) continue;
            if (mountPoint == rootfs || mountPoint.StartsWith(rootfs + "/", StringComparison.Ordinal)) continue;
            if (!sys.DetachHostMount(mountPoint))
                sys.MountPath("tmpfs", mountPoint, "tmpfs", MS.RDONLY, null, $"tmpfs over the host's {mountPoint}");
        }
    }

    private Pty? FinishRoot()
    {
        if (_plan.FinalPropagation is { } propagation)
            sys.MountPath(null, "/", null, propagation, null, "/ with the rootfs propagation");
        if (!_plan.Console && !_plan.ReadOnlyDev && !_plan.RootReadOnly) return null;
        using var root = sys.OpenDirectory("/");
        var console = _plan.Console ? MakeConsole(root) : (Pty?)null;
        try
        {
            if (_plan.ReadOnlyDev) MakeDevReadOnly(root);
            if (_plan.RootReadOnly)
                sys.MountPath(null, "/", null, MS.BIND | MS.REMOUNT | MS.RDONLY | sys.LockedMountFlags(root), null, "/ read-only");
            return console;
        }
        catch
        {
            console?.Dispose();
            throw;
        }
    }
}
