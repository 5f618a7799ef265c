using LibContainer.Interop;

namespace LibContainer.Processes;

/// <summary>
/// Runs a host program (found in PATH) and returns its standard output. Written
/// over posix_spawnp: System.Diagnostics.Process would add its machinery to the
/// start-up of every oci-run command, for `ps` alone.
/// </summary>
public static unsafe class HostCommand
{
    public static string Output(string program, IReadOnlyList<string> args)
    {
        var pipe = stackalloc int[2];
        Syscall.Check(LibC.pipe2(pipe, O.CLOEXEC), "pipe");
        using var reader = new Fd(pipe[0]);
        var actions = stackalloc byte[256]; // posix_spawn_file_actions_t is 80 bytes on glibc
        LibC.posix_spawn_file_actions_init(actions);
        int pid;
        try
        {
            LibC.posix_spawn_file_actions_adddup2(actions, pipe[1], 1);
            using var argv = new Syscall.CStringArray([program, .. args]);
            using var envp = new Syscall.CStringArray(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]);
            var rc = LibC.posix_spawnp(out pid, program, actions, null, argv.Pointer, envp.Pointer);
            if (rc != 0) throw ContainerError.FromErrno($"run {program}", rc);
        }
        finally
        {
            LibC.posix_spawn_file_actions_destroy(actions);
            LibC.close(pipe[1]);
        }
        var output = new MemoryStream();
        var buffer = new byte[16384];
        while (true)
        {
            nint n;
            fixed (byte* p = buffer) n = LibC.read(reader.Value, p, buffer.Length);
            if (n < 0 && Syscall.LastErrno == Errno.EINTR) continue;
            if (n <= 0) break;
            output.Write(buffer, 0, (int)n);
        }
        int status = 0;
        Syscall.Retry(() => LibC.waitpid(pid, out status, 0));
        if (status != 0) throw new ContainerError($"{program} {string.Join(' ', args)} failed with exit status {(status >> 8) & 0xff}");
        return System.Text.Encoding.UTF8.GetString(output.ToArray());
    }
}
