namespace LibContainer.Interop;

/// <summary>An owned file descriptor, closed on Dispose.</summary>
internal sealed class Fd : IDisposable
{
    public int Value { get; private set; }

    public Fd(int value) => Value = value;

    public static Fd Open(string path, int flags, uint mode = 0) =>
        new(Syscall.Check(LibC.open(path, flags | O.CLOEXEC, mode), $"open {path}"));

    public static Fd OpenAt(Fd dir, string path, int flags, uint mode = 0) =>
        new(Syscall.Check(LibC.openat(dir.Value, path, flags | O.CLOEXEC, mode), $"open {path}"));

    /// <summary>Hands the fd over to the caller, who closes it from now on; Dispose then does nothing.</summary>
    public int Release()
    {
        var value = Value;
        Value = -1;
        return value;
    }

    public void Dispose()
    {
        if (Value >= 0) LibC.close(Value);
        Value = -1;
    }
}
