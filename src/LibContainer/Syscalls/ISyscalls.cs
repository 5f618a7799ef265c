namespace LibContainer.Syscalls;

/// <summary>
/// The seam between deciding and doing: executors run plans through this, the
/// real implementation (LinuxSyscalls) makes the calls, and unit tests hand in
/// a recording fake. It grows with each plan that moves behind it. Each method
/// throws a ContainerError that says what failed.
/// </summary>
public interface ISyscalls
{
    void SetRlimit(int resource, ulong soft, ulong hard, string what);

    /// <summary>Drops one capability from the bounding set; one the kernel does not know is skipped.</summary>
    void DropBoundingCapability(int capability);

    void SetKeepCapabilities(bool keep);

    void SetGroups(uint[] groups);

    void SetGid(uint gid);

    void SetUid(uint uid);

    void SetCapabilities(ulong effective, ulong permitted, ulong inheritable);

    void ClearAmbientCapabilities();

    void RaiseAmbientCapability(int capability);

    void SetUmask(uint mask);

    void SetNoNewPrivileges();

    /// <summary>
    /// Loads a seccomp filter (struct sock_filter[]) with seccomp(2) flags that include
    /// TSYNC, so every thread gets it. Returns the listener's fd when the flags ask for one, else -1.
    /// </summary>
    int LoadSeccompFilter(byte[] program, uint flags);

    /// <summary>The text of a small kernel file (a cgroup control file), or null when there is none.</summary>
    string? ReadFile(string path);

    /// <summary>One write(2) of `value` to a kernel file: 0, or the errno the kernel answered.</summary>
    int WriteFile(string path, string value);
}
