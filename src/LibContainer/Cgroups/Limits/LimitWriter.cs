using LibContainer.Interop;

namespace LibContainer.Cgroups.Limits;

/// <summary>
/// Performs a limit plan: each value written to its controller's directory, in
/// order. With `restoreOnFailure` (update), each file's previous value is read
/// first and written back, newest first, when a later write fails, so the
/// container keeps the limits it had.
/// </summary>
public sealed class LimitWriter(ICgroupFiles files, Func<string, string> directoryOf)
{
    public void Apply(IReadOnlyList<CgroupWrite> writes, bool restoreOnFailure)
    {
        var undo = new List<(string Path, string Value)>();
        CgroupWrite? retry = null;
        try
        {
            foreach (var w in writes)
            {
                var path = Path.Combine(directoryOf(w.Controller), w.File);
                var old = restoreOnFailure ? files.Read(path) : null;
                var errno = files.TryWrite(path, w.Value);
                if (errno == 0 && old is not null) undo.Add((path, old));
                if (errno == Errno.EINVAL && w.RetryAfterNext && retry is null)
                {
                    retry = w; // the next write (the quota) may make it valid
                    continue;
                }
                if (errno != 0) throw Failed(w, path, errno);
                if (w.ReadBack) CheckReadBack(w, path);
                if (retry is not null && !ReferenceEquals(retry, w))
                {
                    var retryPath = Path.Combine(directoryOf(retry.Controller), retry.File);
                    if (files.TryWrite(retryPath, retry.Value) is var again and not 0) throw Failed(retry, retryPath, again);
                    retry = null;
                }
            }
            if (retry is not null) throw Failed(retry, Path.Combine(directoryOf(retry.Controller), retry.File), Errno.EINVAL);
        }
        catch (ContainerError e) when (undo.Count > 0)
        {
            var failed = Restore(undo);
            throw new ContainerError(failed.Count == 0
                ? $"{e.Message} (the previous limits are back)"
                : $"{e.Message}; restoring the previous value failed for {string.Join(", ", failed)}");
        }
    }

    private List<string> Restore(List<(string Path, string Value)> undo)
    {
        var failed = new List<string>();
        for (var i = undo.Count - 1; i >= 0; i--)
        {
            var (path, value) = undo[i];
            // Keyed files (io.max, blkio.throttle.*) read back as one line per key: written back a line at a time.
            foreach (var line in value.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                if (files.TryWrite(path, line) != 0) failed.Add(path);
        }
        return failed;
    }

    private void CheckReadBack(CgroupWrite w, string path)
    {
        var read = files.Read(path)?.Trim();
        if (read is null || read == w.Value) return;
        var bound = ulong.TryParse(read, out var r) && ulong.TryParse(w.Value, out var v) && v > r ? "maximum" : "minimum";
        throw new ContainerError($"{w.Field}: {w.Value} is out of range: the {bound} allowed is {read}");
    }

    private ContainerError Failed(CgroupWrite w, string path, int errno)
    {
        // A memory limit below what the container uses now: say how much that is.
        if (errno == Errno.EBUSY && w.File == "memory.limit_in_bytes")
        {
            var dir = Path.GetDirectoryName(path)!;
            var usage = files.Read(Path.Combine(dir, "memory.usage_in_bytes"))?.Trim();
            var peak = files.Read(Path.Combine(dir, "memory.max_usage_in_bytes"))?.Trim();
            return new ContainerError($"{w.Field}: cannot set the memory limit to {w.Value}: the container uses {usage} bytes (peak {peak})");
        }
        if (errno == Errno.ENOENT)
            return new ContainerError($"{w.Field}: the container's cgroup has no {w.File} (this kernel lacks it, or its controller is not enabled)");
        return new ContainerError($"{w.Field}: write \"{w.Value}\" to {path}: {Errno.Describe(errno)}");
    }
}
