using System.Text;
using LibContainer.Interop;

namespace LibContainer.Cgroups.DeviceFilter;

/// <summary>
/// Loads device programs into the kernel and makes one the device program of
/// a cgroup v2 directory, in place of those attached before. Needs CAP_SYS_ADMIN.
/// </summary>
internal static class DeviceProgramAttacher
{
    private const string Field = "linux.resources.devices";

    // The kernel reads the license only to decide whether the program may call GPL-only helpers; it calls none.
    private static ReadOnlySpan<byte> License => "Apache-2.0\0"u8;

    // What bpftool shows: letters, digits, '_' and '.', at most 15.
    private static ReadOnlySpan<byte> Name => "oci_run_devices"u8;

    private const int VerifierLogSize = 64 * 1024;

    /// <summary>The program loaded and checked by the kernel, not attached anywhere: closing the fd frees it.</summary>
    public static Fd Load(IReadOnlyList<BpfInstruction> program)
    {
        var code = BpfInstruction.Encode(program);
        var fd = Bpf.LoadProgram(Bpf.PROG_TYPE_CGROUP_DEVICE, code, License, Name, []);
        if (fd >= 0) return new Fd(fd);
        var errno = Syscall.LastErrno;
        throw new ContainerError($"{Field}: load the cgroup device program: {Errno.Describe(errno)}{WhyNotLoaded(errno, code)}");
    }

    /// <summary>
    /// Makes the program the one device program of the cgroup: attaches it
    /// (BPF_F_ALLOW_MULTI), then detaches each program that was there before.
    /// While both are attached the kernel runs both and allows only what both
    /// allow, so the cgroup is never without a program, nor looser than the
    /// old or the new rules.
    /// </summary>
    public static void Replace(string cgroupDirectory, IReadOnlyList<BpfInstruction> program)
    {
        using var cgroup = OpenCgroup(cgroupDirectory);
        // Held by fd before the new one goes in: ids name programs, and detaching takes an fd.
        var previous = OpenAttached(cgroup, cgroupDirectory);
        try
        {
            using (var loaded = Load(program))
                if (Bpf.Attach(cgroup.Value, loaded.Value, Bpf.CGROUP_DEVICE, Bpf.F_ALLOW_MULTI) < 0)
                    throw Failed($"attach the device program to cgroup {cgroupDirectory}");
            foreach (var old in previous)
                if (Bpf.Detach(cgroup.Value, old.Value, Bpf.CGROUP_DEVICE) < 0 && Syscall.LastErrno != Errno.ENOENT)
                    throw Failed($"detach the previous device program from cgroup {cgroupDirectory}");
        }
        finally
        {
            foreach (var old in previous) old.Dispose();
        }
    }

    /// <summary>The ids of the device programs attached to the cgroup itself (its ancestors' not included).</summary>
    public static IReadOnlyList<uint> AttachedProgramIds(string cgroupDirectory)
    {
        using var cgroup = OpenCgroup(cgroupDirectory);
        return Query(cgroup, cgroupDirectory, out _);
    }

    private static Fd OpenCgroup(string cgroupDirectory)
    {
        var fd = LibC.open(cgroupDirectory, O.RDONLY | O.DIRECTORY | O.CLOEXEC, 0);
        if (fd < 0) throw Failed($"open cgroup {cgroupDirectory}");
        return new Fd(fd);
    }

    private static List<Fd> OpenAttached(Fd cgroup, string cgroupDirectory)
    {
        var ids = Query(cgroup, cgroupDirectory, out var flags);
        // Such a program was put there by another tool, and the kernel takes no multi-program attach beside it.
        if (ids.Count > 0 && (flags & Bpf.F_ALLOW_MULTI) == 0)
            throw new ContainerError($"{Field}: cgroup {cgroupDirectory} has a device program attached without BPF_F_ALLOW_MULTI, which oci-run cannot replace; detach it first");
        var fds = new List<Fd>();
        foreach (var id in ids)
        {
            var fd = Bpf.ProgramFdById(id);
            if (fd >= 0) fds.Add(new Fd(fd));
            else if (Syscall.LastErrno != Errno.ENOENT) // ENOENT: detached and freed since the query
            {
                var error = Failed($"open the device program {id} attached to cgroup {cgroupDirectory}");
                foreach (var opened in fds) opened.Dispose();
                throw error;
            }
        }
        return fds;
    }

    private static List<uint> Query(Fd cgroup, string cgroupDirectory, out uint flags)
    {
        var ids = new uint[Bpf.MaxProgramsPerCgroup];
        while (true)
        {
            if (Bpf.Query(cgroup.Value, Bpf.CGROUP_DEVICE, ids, out var count, out flags) == 0)
                return [.. ids.AsSpan(0, count)];
            var errno = Syscall.LastErrno;
            // EBADF: the fd is no cgroup2 directory (a v1 hierarchy's, or no cgroup at all), the first call to see it.
            if (errno == Errno.EBADF)
                throw new ContainerError($"{Field}: list the device programs of cgroup {cgroupDirectory}: not a directory of the cgroup v2 hierarchy");
            // ENOSPC: a kernel that takes more programs per cgroup than this one; count says how many.
            if (errno != Errno.ENOSPC || count <= ids.Length)
                throw Failed($"list the device programs of cgroup {cgroupDirectory}");
            ids = new uint[count];
        }
    }

    // Why the kernel refused a program: for a permission error what it needs, else the verifier's own last words,
    // from a second load with a log (asked for only after a failure: the log slows every load).
    private static string WhyNotLoaded(int errno, byte[] code)
    {
        if (errno == Errno.EPERM) return " (loading it needs CAP_SYS_ADMIN)";
        var log = new byte[VerifierLogSize];
        var fd = Bpf.LoadProgram(Bpf.PROG_TYPE_CGROUP_DEVICE, code, License, Name, log);
        if (fd >= 0)
        {
            LibC.close(fd);
            return "";
        }
        var end = Array.IndexOf(log, (byte)0);
        var said = new List<string>();
        foreach (var line in Encoding.UTF8.GetString(log, 0, end < 0 ? log.Length : end).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (!line.StartsWith("processed ", StringComparison.Ordinal)) said.Add(line); // the closing statistics say nothing of why
        // The reason is last, after the instruction it stopped at.
        return said.Count == 0 ? "" : $" (verifier: {string.Join("; ", said[Math.Max(0, said.Count - 2)..])})";
    }

    private static ContainerError Failed(string what) => ContainerError.FromErrno($"{Field}: {what}", Syscall.LastErrno);
}
