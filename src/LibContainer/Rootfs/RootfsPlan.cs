using LibContainer.Interop;
using LibContainer.Kernel;
using LibContainer.Spec;

namespace LibContainer.Rootfs;

public enum MountKind { Bind, Filesystem, Cgroup }

/// <summary>
/// One entry of `mounts`, decided. Bind: `Source` is the host path (a relative
/// one resolved against the bundle), `Flags` says whether it is recursive and
/// `RemountFlags` what the remount after the bind sets (0: no remount).
/// Filesystem: `Source` and `FsType` as mount(2) takes them, `Flags` the
/// mount's. Cgroup: the config's source, with `Options` for CgroupMountPlan.
/// </summary>
public sealed record MountStep(
    string Where,
    string Destination,
    MountKind Kind,
    string Source,
    string FsType,
    ulong Flags,
    ulong RemountFlags,
    MountOptions Options)
{
    /// <summary>A procfs, whose destination must be /proc and an ordinary directory.</summary>
    public bool IsProc => Kind == MountKind.Filesystem && FsType == "proc";

    /// <summary>
    /// The flags of the remount after a bind, given the flags the bind inherited
    /// from its source (ISyscalls.LockedMountFlags): those are kept, but the ones the
    /// config clears ("rw", "suid", "dev", ...).
    /// </summary>
    public ulong BindRemountFlags(ulong inherited) => RemountFlags | (inherited & ~Options.ClearedFlags) | MS.BIND | MS.REMOUNT;
}

/// <summary>What covers a masked path: an empty read-only tmpfs over a directory, /dev/null over anything else.</summary>
public enum MaskKind { ReadOnlyTmpfs, DevNull }

/// <summary>
/// What init does to build the root filesystem, decided from the spec alone:
/// the propagation of "/" while it works, the mounts in order, whether it makes
/// /dev's nodes and symlinks, the masked and read-only paths, how it enters the
/// new root and what it does there (the console, then the read-only remounts), whether it works inside a user namespace
/// (devices bound, not made; sysfs bound when it cannot be mounted). RootfsExecutor carries it out; anything that
/// depends on what is on disk (file or directory, the flags a bind inherits) is
/// decided there, when the path is resolved.
/// </summary>
public sealed record RootfsPlan(
    ulong RootPropagation,
    bool MakeParentPrivate,
    IReadOnlyList<MountStep> Mounts,
    bool CreateDevices,
    bool PtmxToPts,
    bool ReadOnlyDev,
    IReadOnlyList<string> MaskedPaths,
    IReadOnlyList<string> ReadonlyPaths,
    string? Cwd,
    bool Pivot,
    ulong? FinalPropagation,
    bool RootReadOnly,
    bool InUserNamespace = false)
{
    /// <summary>process.terminal: a pty made in the container's devpts after pivot_root and bound over /dev/console.</summary>
    public bool Console { get; init; }

    /// <summary>
    /// In a user namespace the kernel refuses mknod: each device node is a bind
    /// of the host's node at the same path, as runc does.
    /// </summary>
    public bool BindDevices => InUserNamespace;

    public static MaskKind MaskFor(bool isDirectory) => isDirectory ? MaskKind.ReadOnlyTmpfs : MaskKind.DevNull;

    public static RootfsPlan For(RuntimeSpec spec, string bundle, bool noPivot)
    {
        var configured = spec.Linux?.RootfsPropagation is { Length: > 0 } p ? MountOptions.ParsePropagation(p) : null;
        // Mount events inside the container must not reach the host: rslave unless the config says
        // otherwise. An unbindable tree cannot give the rootfs bind: it is applied to the new root at the end.
        var propagation = configured is { } c && (c & MS.UNBINDABLE) == 0 ? c : MS.SLAVE | MS.REC;

        var steps = new List<MountStep>();
        var readOnlyDev = false;
        var devIsBind = false;
        var devPts = false;
        var mounts = spec.Mounts ?? [];
        for (var i = 0; i < mounts.Count; i++)
        {
            var step = Step(mounts[i], $"mounts[{i}]", bundle, spec.Linux?.MountLabel);
            steps.Add(step);
            var dest = step.Destination.TrimEnd('/');
            if (dest == "/dev/pts") devPts = true;
            if (dest != "/dev") continue;
            // A read-only /dev is mounted writable and made read-only once its device
            // nodes and symlinks are in, as runc does; the last mount on /dev decides.
            readOnlyDev = (step.Options.Flags & MS.RDONLY) != 0;
            devIsBind = step.Kind == MountKind.Bind;
        }

        return new RootfsPlan(
            propagation,
            // pivot_root refuses a new root whose parent mount is shared.
            MakeParentPrivate: (propagation & MS.SHARED) != 0,
            steps,
            // A /dev bound from the host has its devices already.
            CreateDevices: !devIsBind,
            // With a private devpts instance, /dev/ptmx must lead to that instance's ptmx.
            PtmxToPts: devPts,
            readOnlyDev,
            spec.Linux?.MaskedPaths ?? [],
            spec.Linux?.ReadonlyPaths ?? [],
            string.IsNullOrEmpty(spec.Process?.Cwd) ? null : spec.Process.Cwd,
            Pivot: !noPivot,
            configured,
            RootReadOnly: spec.Root?.Readonly == true,
            InUserNamespace: UserNamespace.UserNamespacePlan.For(spec).InUserNamespace)
        {
            Console = spec.Process?.Terminal == true,
        };
    }

    private static MountStep Step(Mount m, string where, string bundle, string? mountLabel)
    {
        var options = MountOptions.Parse(m.Options, $"{where}.options");
        var type = string.IsNullOrEmpty(m.Type) ? (options.IsBind ? "bind" : "") : m.Type;
        var dest = m.Destination!;
        var flags = dest.TrimEnd('/') == "/dev" ? options.Flags & ~MS.RDONLY : options.Flags;
        if (type is "cgroup" or "cgroup2")
            return new MountStep(where, dest, MountKind.Cgroup, m.Source ?? "", type, 0, 0, options);
        if (options.IsBind || type == "bind")
            // A relative bind source is relative to the bundle, as the spec says.
            return new MountStep(where, dest, MountKind.Bind, Path.GetFullPath(m.Source ?? "", bundle), "",
                options.Flags & MS.REC, flags & ~(MS.BIND | MS.REC | MS.REMOUNT), options);
        if (string.IsNullOrEmpty(type)) throw new ContainerError($"config.json: {where}.type: missing");
        return new MountStep(where, dest, MountKind.Filesystem, string.IsNullOrEmpty(m.Source) ? type : m.Source, type,
            flags & ~MS.REMOUNT, 0, options with { Data = Security.SecurityLabels.WithMountLabel(options.Data, mountLabel, type) });
    }
}
