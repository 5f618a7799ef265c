namespace LibContainer.Cgroups;

/// <summary>File operations on one cgroup directory, shared by the v1 and v2 managers.</summary>
internal static unsafe class CgroupDirectory
{
    public static void Create(string dir)
    {
        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ContainerError.FromIo($"create cgroup {dir}", e);
        }
    }

    /// <summary>
    /// A v1 cpuset cgroup starts with no CPUs and no memory nodes, and takes no
    /// process until it has both. Every level from the first ancestor that has
    /// both down to `dir` is made and filled from its parent where empty, so a
    /// directory left half-made (a create killed between mkdir and write) is
    /// completed rather than joined as it is (ENOSPC).
    /// </summary>
    public static void CreateCpuset(string dir)
    {
        var levels = new List<string>();
        for (var level = dir; !HasCpusAndMems(level); level = Path.GetDirectoryName(level)!)
        {
            if (level == "/") throw new ContainerError($"create cgroup {dir}: no ancestor has cpuset.cpus and cpuset.mems set");
            levels.Add(level);
        }
        for (var i = levels.Count - 1; i >= 0; i--)
        {
            var level = levels[i];
            var parent = Path.GetDirectoryName(level)!;
            Create(level);
            foreach (var file in new[] { "cpuset.cpus", "cpuset.mems" })
                if (ReadTrimmed(level, file).Length == 0) Write(level, file, ReadTrimmed(parent, file));
        }
    }

    private static bool HasCpusAndMems(string dir) =>
        ReadTrimmed(dir, "cpuset.cpus").Length > 0 && ReadTrimmed(dir, "cpuset.mems").Length > 0;

    private static string ReadTrimmed(string dir, string file) =>
        (Interop.SmallFile.TryReadText(Path.Combine(dir, file)) ?? "").Trim();

    public static void Write(string dir, string file, string value)
    {
        var path = Path.Combine(dir, file);
        try
        {
            // One write(2) per value: cgroup files take one value per write.
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
            RandomAccess.Write(handle, System.Text.Encoding.UTF8.GetBytes(value), 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e.Message.Split(" : ")[0];
            throw new ContainerError($"write \"{value}\" to {path}: {reason}");
        }
    }

    /// <summary>
    /// One write(2) of `value` to a control file: 0, or the errno the kernel
    /// answered (EINVAL for a value out of range, EBUSY for a memory limit
    /// below the usage), which the caller turns into words.
    /// </summary>
    public static int TryWrite(string path, string value)
    {
        var fd = Interop.LibC.open(path, Interop.O.WRONLY | Interop.O.CLOEXEC, 0);
        if (fd < 0) return Interop.Syscall.LastErrno;
        try
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(value);
            nint n;
            do
                fixed (byte* p = bytes) n = Interop.LibC.write(fd, p, bytes.Length);
            while (n < 0 && Interop.Syscall.LastErrno == Interop.Errno.EINTR);
            return n < 0 ? Interop.Syscall.LastErrno : 0;
        }
        finally
        {
            Interop.LibC.close(fd);
        }
    }

    public static IEnumerable<int> Pids(string dir)
    {
        foreach (var sub in SubdirectoriesOf(dir))
            foreach (var pid in Pids(sub))
                yield return pid;
        var text = Interop.SmallFile.TryReadText(Path.Combine(dir, "cgroup.procs"));
        if (text is null) yield break;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            if (int.TryParse(line, out var pid)) yield return pid;
    }

    // A cgroup (or the whole container's) may be removed while it is walked.
    private static List<string> SubdirectoriesOf(string dir)
    {
        try
        {
            return [.. Directory.EnumerateDirectories(dir)];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    /// <summary>The PIDs in these directory trees, each once, in the order first seen.</summary>
    public static List<int> DistinctPids(IEnumerable<string> dirs)
    {
        var seen = new HashSet<int>();
        var pids = new List<int>();
        foreach (var dir in dirs)
            foreach (var pid in Pids(dir))
                if (seen.Add(pid)) pids.Add(pid);
        return pids;
    }

    public static bool AnyExists(IEnumerable<string> dirs)
    {
        foreach (var dir in dirs)
            if (Directory.Exists(dir)) return true;
        return false;
    }

    /// <summary>SIGKILLs everything inside, then removes the directory tree bottom-up.</summary>
    public static void Remove(string dir)
    {
        // Usually the container's processes are gone and it made no sub-cgroups: one rmdir does it.
        if (Interop.LibC.unlinkat(Interop.AT.FDCWD, dir, Interop.AT.REMOVEDIR) == 0 || Interop.Syscall.LastErrno == Interop.Errno.ENOENT)
            return;
        for (var attempt = 0; ; attempt++)
        {
            foreach (var pid in Pids(dir)) Interop.LibC.kill(pid, 9);
            try
            {
                RemoveTree(dir);
                return;
            }
            catch (IOException) when (attempt < 200)
            {
                // EBUSY while killed processes are still exiting.
                Thread.Sleep(5);
            }
            catch (IOException e)
            {
                throw new ContainerError(e.Message); // RemoveTree's own words: "rmdir DIR: strerror"
            }
        }
    }

    private static void RemoveTree(string dir)
    {
        if (!Directory.Exists(dir)) return;
        foreach (var sub in Directory.EnumerateDirectories(dir)) RemoveTree(sub);
        // Directory.Delete would try to delete the control files first; rmdir is what cgroupfs wants.
        if (Interop.LibC.unlinkat(Interop.AT.FDCWD, dir, Interop.AT.REMOVEDIR) < 0)
        {
            var errno = Interop.Syscall.LastErrno;
            if (errno != Interop.Errno.ENOENT)
                throw new IOException($"rmdir {dir}: {Interop.Errno.Describe(errno)}");
        }
    }
}
