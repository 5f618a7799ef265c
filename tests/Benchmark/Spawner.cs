using System.Runtime.InteropServices;

namespace OciRun.Benchmark;

/// <summary>One finished child: wall time and peak resident memory (ru_maxrss).</summary>
public readonly record struct Sample(double Milliseconds, long MaxRssKb, int ExitCode);

/// <summary>
/// Spawns commands with posix_spawn and reaps them with wait4, so the time
/// and peak RSS of each runtime process are its own and the harness costs the
/// same for every runtime. stdio goes to /dev/null: the container inherits it.
/// </summary>
public static unsafe partial class Spawner
{
    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UtimeSec, UtimeUsec, StimeSec, StimeUsec, MaxRss;
        public fixed long Rest[13];
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int posix_spawn(out int pid, byte* path, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_init(void* actions);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_addopen(void* actions, int fd, byte* path, int flags, uint mode);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int wait4(int pid, out int status, int options, out RUsage usage);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int waitpid(int pid, out int status, int options);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int prctl(int option, ulong a2, ulong a3, ulong a4, ulong a5);

    /// <summary>Orphaned container processes are reparented to us, so we can wait for them.</summary>
    public static void BecomeSubreaper() => prctl(36 /* PR_SET_CHILD_SUBREAPER */, 1, 0, 0, 0);

    public static Sample Run(IReadOnlyList<string> argv)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var pid = Spawn(argv);
        int status;
        RUsage usage;
        while (wait4(pid, out status, 0, out usage) < 0 && Marshal.GetLastPInvokeError() == 4) { }
        var ms = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        return new Sample(ms, usage.MaxRss, (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f));
    }

    /// <summary>Waits for a process reparented to us; returns the wait in milliseconds.</summary>
    public static double WaitFor(int pid)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        while (waitpid(pid, out _, 0) < 0 && Marshal.GetLastPInvokeError() == 4) { }
        return System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>Reaps any other orphan (a runtime's intermediate processes) without blocking.</summary>
    public static void ReapOrphans()
    {
        while (waitpid(-1, out _, 1 /* WNOHANG */) > 0) { }
    }

    private static int Spawn(IReadOnlyList<string> argv)
    {
        var actions = stackalloc byte[512];
        posix_spawn_file_actions_init(actions);
        var devNull = Utf8("/dev/null");
        fixed (byte* p = devNull)
        {
            posix_spawn_file_actions_addopen(actions, 0, p, 0, 0);
            posix_spawn_file_actions_addopen(actions, 1, p, 1, 0);
            posix_spawn_file_actions_addopen(actions, 2, p, 1, 0);
        }
        var strings = argv.Select(Utf8).ToArray();
        var handles = strings.Select(s => GCHandle.Alloc(s, GCHandleType.Pinned)).ToArray();
        try
        {
            var args = stackalloc byte*[strings.Length + 1];
            for (var i = 0; i < strings.Length; i++) args[i] = (byte*)handles[i].AddrOfPinnedObject();
            args[strings.Length] = null;
            var env = stackalloc byte*[2];
            var path = Utf8("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            fixed (byte* e = path)
            {
                env[0] = e;
                env[1] = null;
                var rc = posix_spawn(out var pid, args[0], actions, null, args, env);
                if (rc != 0) throw new InvalidOperationException($"posix_spawn {argv[0]}: error {rc}");
                return pid;
            }
        }
        finally
        {
            foreach (var h in handles) h.Free();
        }
    }

    private static byte[] Utf8(string s) => System.Text.Encoding.UTF8.GetBytes(s + "\0");
}
