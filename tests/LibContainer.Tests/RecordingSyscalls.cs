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

    /// <summary>The kernel files there are, by path, with their text; a write replaces the text.</summary>
    public Dictionary<string, string> Files { get; } = [];

    /// <summary>The errno a write to a path answers, instead of succeeding.</summary>
    public Dictionary<string, int> WriteErrors { get; } = [];

    /// <summary>The errno the next write to a path answers, once.</summary>
    public Dictionary<string, int> WriteErrorsOnce { get; } = [];

    /// <summary>What the kernel keeps of a written value (it may clamp it); the value itself by default.</summary>
    public Func<string, string, string> Stored { get; set; } = (_, value) => value;

    public string? ReadFile(string path) => Files.GetValueOrDefault(path);

    public int WriteFile(string path, string value)
    {
        Calls.Add($"write {path} {value}");
        if (WriteErrors.TryGetValue(path, out var errno)) return errno;
        if (WriteErrorsOnce.Remove(path, out var once)) return once;
        if (!Files.ContainsKey(path)) return 2; // ENOENT
        Files[path] = Stored(path, value);
        return 0;
    }
}
