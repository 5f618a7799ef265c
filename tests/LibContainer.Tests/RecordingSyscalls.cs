using LibContainer.Syscalls;

namespace LibContainer.Tests;

/// <summary>An ISyscalls that makes no call and records each one as a line, for asserting what an executor did and in which order.</summary>
public sealed partial class RecordingSyscalls : ISyscalls
{
    public List<string> Calls { get; } = [];

    public void SetRlimit(int resource, ulong soft, ulong hard, string what) => Calls.Add($"rlimit {what} {soft} {hard}");
    public void DropBoundingCapability(int capability) => Calls.Add($"drop {capability}");
    public void SetKeepCapabilities(bool keep) => Calls.Add($"keepcaps {(keep ? 1 : 0)}");
    public void SetGroups(uint[] groups) => Calls.Add($"setgroups [{string.Join(',', groups)}]");
    public void SetGid(uint gid) => Calls.Add($"setgid {gid}");
    public void SetUid(uint uid) => Calls.Add($"setuid {uid}");
    public void SetCapabilities(ulong effective, ulong permitted, ulong inheritable) => Calls.Add($"capset {effective:x} {permitted:x} {inheritable:x}");
    public void ClearAmbientCapabilities() => Calls.Add("ambient clear");
    public void RaiseAmbientCapability(int capability) => Calls.Add($"ambient raise {capability}");
    public void SetUmask(uint mask) => Calls.Add($"umask {Convert.ToString(mask, 8)}");
    public void SetNoNewPrivileges() => Calls.Add("no_new_privs");
    public int LoadSeccompFilter(byte[] program, uint flags)
    {
        Calls.Add($"seccomp {program.Length / 8} instructions, flags {flags}");
        return -1;
    }
}
