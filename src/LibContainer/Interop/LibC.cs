using System.Runtime.InteropServices;

namespace LibContainer.Interop;

/// <summary>
/// The libc and raw syscalls the runtime uses, as source-generated P/Invokes.
/// "libc" is bound at link time (DirectPInvoke), so calls keep working after
/// pivot_root into a rootfs that has no libc of its own.
/// </summary>
internal static unsafe partial class LibC
{
    private const string Lib = "libc";

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, uint mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int openat(int dirfd, string path, int flags, uint mode);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint read(int fd, byte* buf, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint write(int fd, byte* buf, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fcntl(int fd, int cmd, int arg);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial long lseek(int fd, long offset, int whence);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int memfd_create(string name, uint flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int flock(int fd, int operation);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int fstatat(int dirfd, string path, out Stat buf, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fstatfs(int fd, out StatFs buf);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mkdirat(int dirfd, string path, uint mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mknodat(int dirfd, string path, uint mode, ulong dev);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mkfifoat(int dirfd, string path, uint mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int fchmodat(int dirfd, string path, uint mode, int flags);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint readlinkat(int dirfd, string path, byte* buf, nint size);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int symlinkat(string target, int dirfd, string linkpath);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int unlinkat(int dirfd, string path, int flags);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int renameat(int olddirfd, string oldpath, int newdirfd, string newpath);




    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int fchownat(int dirfd, string path, uint owner, uint group, int flags);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int faccessat(int dirfd, string path, int mode, int flags);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mount(string? source, string target, string? fstype, ulong flags, string? data);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int umount2(string target, int flags);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int chdir(string path);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fchdir(int fd);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int chroot(string path);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial byte* getcwd(byte* buf, nint size);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int sethostname(byte* name, nint len);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int setdomainname(byte* name, nint len);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int prlimit(int pid, int resource, in RLimit newLimit, out RLimit oldLimit);

    [LibraryImport(Lib)]
    public static partial uint umask(uint mask);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int personality(ulong persona);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int socketpair(int domain, int type, int protocol, int* sv);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial long send(int socket, byte* buffer, nuint length, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial long recv(int socket, byte* buffer, nuint length, int flags);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint if_nametoindex(string name);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int setns(int fd, int nstype);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int connect(int socket, SockaddrUn* address, uint length);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int kill(int pid, int sig);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int waitpid(int pid, out int status, int options);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int poll(PollFd* fds, ulong nfds, int timeout);


    [LibraryImport(Lib)]
    public static partial uint geteuid();

    [LibraryImport(Lib, SetLastError = true)]
    public static partial long syscall(long number, long a1, long a2, long a3, long a4, long a5);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_init(void* actions);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_adddup2(void* actions, int fd, int newfd);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_destroy(void* actions);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int posix_spawn(out int pid, string path, void* actions, void* attributes, byte** argv, byte** envp);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int posix_spawnp(out int pid, string file, void* actions, void* attributes, byte** argv, byte** envp);

    // From the C stage (Launch/*.c), linked into the binary.
    [LibraryImport("ocirun_native")]
    public static partial int ocirun_spawn(int exeFd, byte** argv, byte** envp, int* keepFds, int keepCount, out int pid);

    [LibraryImport("ocirun_native", SetLastError = true)]
    public static partial int ocirun_sealed_exe();

    [LibraryImport("ocirun_native", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ocirun_exec(string path, byte** argv, byte** envp);
}

[StructLayout(LayoutKind.Sequential)]
internal struct RLimit
{
    public ulong Soft;
    public ulong Hard;
}

[StructLayout(LayoutKind.Sequential)]
internal struct PollFd
{
    public int Fd;
    public short Events;
    public short Revents;
}

/// <summary>struct stat on x86_64 glibc (the fields we read).</summary>
[StructLayout(LayoutKind.Explicit, Size = 144)]
internal struct Stat
{
    [FieldOffset(0)] public ulong Dev;
    [FieldOffset(8)] public ulong Ino;
    [FieldOffset(16)] public ulong Nlink;
    [FieldOffset(24)] public uint Mode;
    [FieldOffset(28)] public uint Uid;
    [FieldOffset(32)] public uint Gid;
    [FieldOffset(40)] public ulong Rdev;
    [FieldOffset(48)] public long Size;
}

[StructLayout(LayoutKind.Explicit, Size = 120)]
internal struct StatFs
{
    [FieldOffset(0)] public long Type;
    [FieldOffset(80)] public long Flags;
}
