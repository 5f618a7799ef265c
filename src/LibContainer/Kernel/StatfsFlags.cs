using MS = LibContainer.Interop.MS;

namespace LibContainer.Kernel;

/// <summary>
/// statfs's ST_* flags as the MS_* flags a bind remount must repeat: a remount
/// that leaves out one the mount has (nosuid, nodev, ro...) is refused (EPERM)
/// where the mount was locked by a less privileged namespace, and would clear it otherwise.
/// </summary>
internal static class StatfsFlags
{
    public static ulong LockedMountFlags(long statfsFlags)
    {
        const long ST_RELATIME = 4096;
        var keep = (ulong)statfsFlags & (MS.RDONLY | MS.NOSUID | MS.NODEV | MS.NOEXEC | MS.SYNCHRONOUS | MS.MANDLOCK | MS.NOATIME | MS.NODIRATIME);
        if ((statfsFlags & ST_RELATIME) != 0) keep |= MS.RELATIME;
        return keep;
    }
}
