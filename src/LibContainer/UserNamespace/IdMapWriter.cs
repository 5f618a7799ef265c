using System.Text;
using LibContainer.Interop;

namespace LibContainer.UserNamespace;

/// <summary>
/// Writes a new user namespace's maps from the runtime's user namespace, as
/// runc does for root (no newuidmap: rootless containers are not done). The
/// process that unshared the namespace waits until both are written.
/// </summary>
internal static class IdMapWriter
{
    public static void Write(int pid, string uidMap, string gidMap)
    {
        WriteMap(pid, "uid_map", uidMap, "linux.uidMappings");
        WriteMap(pid, "gid_map", gidMap, "linux.gidMappings");
    }

    // The kernel takes a map in one write, and only once.
    private static void WriteMap(int pid, string file, string text, string field)
    {
        var path = $"/proc/{pid}/{file}";
        using var fd = Fd.Open(path, O.WRONLY);
        var bytes = Encoding.ASCII.GetBytes(text);
        var n = Syscall.Retry(() => (int)WriteOnce(fd.Value, bytes));
        if (n < 0) throw ContainerError.FromErrno($"{field}: write {path} (\"{text.TrimEnd().Replace("\n", "; ")}\")", Syscall.LastErrno);
        if (n != bytes.Length) throw new ContainerError($"{field}: short write to {path}");
    }

    private static unsafe nint WriteOnce(int fd, byte[] bytes)
    {
        fixed (byte* p = bytes) return LibC.write(fd, p, bytes.Length);
    }
}
