using LibContainer.Interop;

namespace LibContainer.State;

/// <summary>Writes a file so readers see the old or the new content, never a torn one.</summary>
public static class AtomicFile
{
    /// <remarks>
    /// Plain open, write, rename: create writes state.json twice, and a
    /// FileStream adds an fstat and a flock to each.
    /// </remarks>
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        var fd = LibC.open(temp, O.WRONLY | O.CREAT | O.TRUNC | O.CLOEXEC, 0x1A4 /* 0644 */);
        if (fd < 0) throw ContainerError.FromErrno($"write {path}", Syscall.LastErrno);
        try
        {
            using (new Fd(fd)) Syscall.WriteAll(fd, content, $"write {path}");
            Syscall.Check(LibC.renameat(AT.FDCWD, temp, AT.FDCWD, path), $"write {path}: rename");
        }
        catch
        {
            LibC.unlinkat(AT.FDCWD, temp, 0);
            throw;
        }
    }
}
