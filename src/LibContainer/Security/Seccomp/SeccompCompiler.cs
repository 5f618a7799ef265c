using System.Text;
using LibContainer.Interop;

namespace LibContainer.Security.Seccomp;

/// <summary>A filter ready to load: the classic BPF program and the seccomp(2) flags to load it with.</summary>
public sealed record SeccompProgram(byte[] Bpf, uint Flags)
{
    public int Instructions => Bpf.Length / SockFilter.Size;
}

/// <summary>
/// Turns a SeccompPlan into a BPF program with libseccomp (linked into the
/// binary), and puts the ENOSYS prefix before it. Needs no privilege: init does
/// it early, while it may still allocate freely, and loads the program later.
/// A syscall this libseccomp does not know is left out, as runc does: profiles
/// list syscalls newer than the library. It is left out silently: init has no
/// channel for debug messages.
/// </summary>
public static unsafe class SeccompCompiler
{
    /// <summary>Above this many rules libseccomp sorts the syscalls into a binary tree (as runc does), so a syscall is found in a few comparisons rather than one per rule.</summary>
    public const int TreeAbove = 32;

    public static SeccompProgram Compile(SeccompPlan plan)
    {
        // Every thread of init, the .NET runtime's included, gets the filter.
        var flags = SeccompSyscall.FLAG_TSYNC;
        foreach (var flag in plan.Flags)
        {
            if (flag.Bit != SeccompSyscall.FLAG_TSYNC && !SeccompSyscall.KernelHasFlag(flag.Bit))
                throw new ContainerError($"{flag.Path}: {flag.Name} is not supported by this kernel");
            flags |= flag.Bit;
        }
        if (plan.UsesNotify)
        {
            // A listener for SCMP_ACT_NOTIFY; with TSYNC the kernel takes one only if TSYNC reports failure as ESRCH.
            if (!SeccompSyscall.KernelHasFlag(SeccompSyscall.FLAG_TSYNC_ESRCH))
                throw new ContainerError("linux.seccomp: SCMP_ACT_NOTIFY needs Linux 5.7 or later (SECCOMP_FILTER_FLAG_TSYNC_ESRCH)");
            flags |= SeccompSyscall.FLAG_NEW_LISTENER | SeccompSyscall.FLAG_TSYNC_ESRCH;
        }

        var ctx = LibSeccomp.seccomp_init(plan.DefaultAction.Value);
        if (ctx == 0) throw new ContainerError("linux.seccomp.defaultAction: libseccomp refused the action: this kernel does not support it");
        try
        {
            foreach (var arch in plan.Architectures)
            {
                var rc = LibSeccomp.seccomp_arch_add(ctx, arch.Token);
                if (rc < 0 && rc != -Errno.EEXIST) // the host's own is always there
                    throw new ContainerError($"{arch.Path}: {SeccompNames.ArchitectureName(arch.Token)} cannot be in a filter on this host: " +
                        (rc == -Errno.EDOM ? "its byte order is not the host's" : Errno.Describe(-rc)));
            }
            if (plan.Rules.Count > TreeAbove) Check(LibSeccomp.seccomp_attr_set(ctx, LibSeccomp.ATTR_CTL_OPTIMIZE, 2), "linux.seccomp: libseccomp's binary tree");
            AddRules(ctx, plan.Rules);
            var program = Export(ctx);
            if (plan.EnosysForNewer)
                program = SockFilter.ToBytes(EnosysPrefix.Build(HighestSyscalls(plan)), program);
            if (program.Length / SockFilter.Size > SockFilter.MaxInstructions)
                throw new ContainerError($"linux.seccomp: the filter is {program.Length / SockFilter.Size} instructions long, more than the kernel's {SockFilter.MaxInstructions}");
            return new SeccompProgram(program, flags);
        }
        finally
        {
            LibSeccomp.seccomp_release(ctx);
        }
    }

    /// <summary>The highest number the profile names on each architecture of the filter, the host's own included.</summary>
    public static List<HighestSyscall> HighestSyscalls(SeccompPlan plan)
    {
        var tokens = new List<uint> { LibSeccomp.seccomp_arch_native() };
        foreach (var arch in plan.Architectures)
            if (!tokens.Contains(arch.Token)) tokens.Add(arch.Token);
        var highest = new List<HighestSyscall>();
        foreach (var token in tokens)
        {
            var max = -1;
            foreach (var name in plan.ProfileSyscalls) max = Math.Max(max, Resolve(token, name));
            highest.Add(new HighestSyscall(token, max));
        }
        return highest;
    }

    /// <summary>
    /// The rules' syscall names this libseccomp does not know, each once: the compiler skips
    /// them (as runc does, which logs each at debug level); `create --debug` lists them.
    /// </summary>
    public static List<string> UnknownSyscalls(SeccompPlan plan)
    {
        var unknown = new List<string>();
        foreach (var rule in plan.Rules)
            if (!unknown.Contains(rule.Syscall) && Resolve(0, rule.Syscall) == LibSeccomp.NR_SCMP_ERROR) unknown.Add(rule.Syscall);
        return unknown;
    }

    /// <summary>The syscall's number on an architecture (0: the host's); negative when it has none there.</summary>
    public static int Resolve(uint token, string name)
    {
        Span<byte> buffer = stackalloc byte[Encoding.UTF8.GetMaxByteCount(name.Length) + 1];
        var length = Encoding.UTF8.GetBytes(name, buffer);
        buffer[length] = 0;
        fixed (byte* p = buffer) return LibSeccomp.seccomp_syscall_resolve_name_arch(token, p);
    }

    private static void AddRules(nint ctx, IReadOnlyList<SyscallRule> rules)
    {
        Span<ScmpArgCmp> conditions = stackalloc ScmpArgCmp[SeccompPlan.ArgumentCount];
        foreach (var rule in rules)
        {
            // Resolved for the host; libseccomp maps it to the other architectures itself.
            var number = Resolve(0, rule.Syscall);
            if (number == LibSeccomp.NR_SCMP_ERROR) continue; // unknown to this libseccomp: skipped, as runc does
            for (var i = 0; i < rule.Conditions.Count; i++)
            {
                var c = rule.Conditions[i];
                conditions[i] = new ScmpArgCmp { Arg = c.Index, Op = c.Operator, DatumA = c.Value, DatumB = c.ValueTwo };
            }
            fixed (ScmpArgCmp* p = conditions)
            {
                var rc = LibSeccomp.seccomp_rule_add_array(ctx, rule.Action.Value, number, (uint)rule.Conditions.Count, p);
                if (rc < 0)
                    throw new ContainerError($"{rule.Path}: libseccomp refused the rule for {rule.Syscall}: " + (rc == -Errno.EEXIST
                        ? "it conflicts with an earlier rule for the same syscall (another action where their conditions overlap)"
                        : Errno.Describe(-rc)));
            }
        }
    }

    /// <summary>The program libseccomp generates, through a memfd (libseccomp 2.5 exports only to an fd).</summary>
    private static byte[] Export(nint ctx)
    {
        const uint MFD_CLOEXEC = 1;
        using var memfd = new Fd(Syscall.Check(LibC.memfd_create("oci-run-seccomp", MFD_CLOEXEC), "linux.seccomp: memfd_create for the filter"));
        Check(LibSeccomp.seccomp_export_bpf(ctx, memfd.Value), "linux.seccomp: libseccomp's export of the filter");
        var size = Syscall.Check(LibC.lseek(memfd.Value, 0, 2 /* SEEK_END */), "linux.seccomp: size of the exported filter");
        Syscall.Check(LibC.lseek(memfd.Value, 0, 0 /* SEEK_SET */), "linux.seccomp: rewind the exported filter");
        var program = new byte[size];
        if (size > 0 && !Syscall.ReadExactly(memfd.Value, program, "linux.seccomp: read the exported filter"))
            throw new ContainerError("linux.seccomp: libseccomp exported an empty filter");
        return program;
    }

    private static void Check(int rc, string what)
    {
        if (rc < 0) throw ContainerError.FromErrno(what, -rc);
    }
}
