using System.Runtime.InteropServices;
using LibContainer.Interop;

namespace LibContainer.Security;

/// <summary>
/// The kernel's capability facts and capset(2). Capabilities are per-thread:
/// they are set on the thread that then calls execve.
/// </summary>
internal static unsafe class Capabilities
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Header { public uint Version; public int Pid; }

    [StructLayout(LayoutKind.Sequential)]
    private struct Data { public uint Effective, Permitted, Inheritable; }

    private const uint Version3 = 0x20080522;

    /// <summary>
    /// The highest capability this kernel knows, from the host's procfs: read
    /// through the container's /proc, a fake value would leave capabilities in
    /// the bounding set.
    /// </summary>
    public static int LastCap(Fd hostProc)
    {
        var text = ProcFs.Read(hostProc, "sys/kernel/cap_last_cap").Trim();
        return int.TryParse(text, out var last) && last is >= 0 and < 64
            ? last
            : throw new ContainerError($"/proc/sys/kernel/cap_last_cap holds \"{text}\", not a capability number");
    }

    public static void Set(ulong effective, ulong permitted, ulong inheritable)
    {
        var header = new Header { Version = Version3, Pid = 0 };
        var data = stackalloc Data[2];
        data[0] = new Data { Effective = (uint)effective, Permitted = (uint)permitted, Inheritable = (uint)inheritable };
        data[1] = new Data { Effective = (uint)(effective >> 32), Permitted = (uint)(permitted >> 32), Inheritable = (uint)(inheritable >> 32) };
        Syscall.Check(LibC.syscall(Sys.capset, (long)&header, (long)data, 0, 0, 0), "capset");
    }
}
