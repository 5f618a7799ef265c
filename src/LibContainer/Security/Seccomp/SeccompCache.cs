using System.Buffers.Binary;
using System.Text;
using LibContainer.Interop;

namespace LibContainer.Security.Seccomp;

/// <summary>
/// Compiled filters kept under --root (ROOT/@seccomp, a name no container ID
/// can take), so that containers with the same profile (every Docker container
/// has the same one) skip libseccomp, which takes ~10 ms for Docker's profile
/// here. crun keeps such a cache too. An entry is found by a hash of its key
/// and holds the whole key, compared on reading, so a hash collision or a
/// damaged file only costs a compile. The key is everything the program
/// depends on: the plan, libseccomp's version, the kernel's release (libseccomp
/// and the flags ask the kernel what it supports) and this compiler's Format.
/// Writes are atomic and best effort: a cache that cannot be written is skipped.
/// </summary>
public sealed class SeccompCache(string directory)
{
    /// <summary>Bump when the program made from a plan changes (the ENOSYS prefix, libseccomp options).</summary>
    public const int Format = 1;

    /// <summary>Beyond this many entries the oldest go: a profile per container must not fill the disk.</summary>
    public const int MaxEntries = 32;

    public const string DirectoryName = "@seccomp";

    public string Directory { get; } = directory;

    public static SeccompCache Under(string root) => new(Path.Combine(root, DirectoryName));

    /// <summary>The program for the plan: the cached one, or libseccomp's, which is then kept.</summary>
    public SeccompProgram GetOrCompile(SeccompPlan plan)
    {
        var key = Key(plan, SeccompFeatures.LibseccompVersion(), SmallFile.TryReadText("/proc/sys/kernel/osrelease")?.Trim() ?? "");
        if (Find(key) is { } cached) return cached;
        var program = SeccompCompiler.Compile(plan);
        Store(key, program);
        return program;
    }

    /// <summary>The text a compiled program is kept under: every input of the compiler, one per line.</summary>
    public static string Key(SeccompPlan plan, string libseccompVersion, string kernelRelease)
    {
        var key = new StringBuilder(64 * (plan.Rules.Count + plan.ProfileSyscalls.Count / 4 + 8));
        key.Append($"oci-run seccomp {Format}\nlibseccomp {libseccompVersion}\nkernel {kernelRelease}\n");
        key.Append($"default {plan.DefaultAction.Value:x}\nenosys {plan.EnosysForNewer}\n");
        foreach (var arch in plan.Architectures) key.Append($"arch {arch.Token:x}\n");
        foreach (var flag in plan.Flags) key.Append($"flag {flag.Bit}\n");
        foreach (var name in plan.ProfileSyscalls) key.Append($"name {name}\n");
        foreach (var rule in plan.Rules)
        {
            key.Append($"rule {rule.Syscall} {rule.Action.Value:x}");
            foreach (var c in rule.Conditions) key.Append($" {c.Index}:{c.Operator}:{c.Value:x}:{c.ValueTwo:x}");
            key.Append('\n');
        }
        return key.ToString();
    }

    public SeccompProgram? Find(string key)
    {
        byte[]? content;
        try
        {
            content = SmallFile.TryRead(PathOf(key), regular: true);
        }
        catch (ContainerError)
        {
            return null; // unreadable: compile instead
        }
        var keyBytes = Encoding.UTF8.GetBytes(key);
        var header = keyBytes.Length + 1 + sizeof(uint);
        if (content is null || content.Length < header + SockFilter.Size || (content.Length - header) % SockFilter.Size != 0
            || !content.AsSpan(0, keyBytes.Length).SequenceEqual(keyBytes) || content[keyBytes.Length] != 0)
            return null;
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(content.AsSpan(keyBytes.Length + 1));
        return new SeccompProgram(content[header..], flags);
    }

    public void Store(string key, SeccompProgram program)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        var content = new byte[keyBytes.Length + 1 + sizeof(uint) + program.Bpf.Length];
        keyBytes.CopyTo(content, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(content.AsSpan(keyBytes.Length + 1), program.Flags);
        program.Bpf.CopyTo(content, keyBytes.Length + 1 + sizeof(uint));
        try
        {
            if (LibC.mkdirat(AT.FDCWD, Directory, 0x1C0 /* 0700 */) < 0 && Syscall.LastErrno != Errno.EEXIST) return;
            State.AtomicFile.Write(PathOf(key), content);
            EvictBeyond(MaxEntries);
        }
        catch (Exception e) when (e is ContainerError or IOException or UnauthorizedAccessException)
        {
            // A cache is an optimisation: the program is in hand either way.
        }
    }

    private void EvictBeyond(int keep)
    {
        var entries = System.IO.Directory.GetFiles(Directory, "*.bpf");
        if (entries.Length <= keep) return;
        var byAge = new List<(DateTime Written, string Path)>(entries.Length);
        foreach (var entry in entries) byAge.Add((File.GetLastWriteTimeUtc(entry), entry));
        byAge.Sort((a, b) => a.Written.CompareTo(b.Written));
        for (var i = 0; i < byAge.Count - keep; i++) File.Delete(byAge[i].Path);
    }

    private string PathOf(string key) => Path.Combine(Directory, $"{Fnv1a(Encoding.UTF8.GetBytes(key)):x16}.bpf");

    // A file name, not a defence: the key itself is compared on reading.
    private static ulong Fnv1a(ReadOnlySpan<byte> bytes)
    {
        var hash = 0xcbf29ce484222325UL;
        foreach (var b in bytes) hash = (hash ^ b) * 0x100000001b3UL;
        return hash;
    }
}
