using LibContainer.Syscalls;

namespace LibContainer.Terminal;

/// <summary>
/// A pseudo-terminal made in the container's devpts: the master (which goes to
/// create, and from there to the console socket or the foreground proxy), the
/// slave (the process's stdio and controlling terminal) and its number
/// (/dev/pts/N inside the container). Handles as ISyscalls hands them out.
/// </summary>
public readonly record struct Pty(PathHandle Master, PathHandle Slave, int Number) : IDisposable
{
    /// <summary>The slave's name inside the container.</summary>
    public string SlaveName => $"/dev/pts/{Number}";

    public void Dispose()
    {
        Master.Dispose();
        Slave.Dispose();
    }
}
