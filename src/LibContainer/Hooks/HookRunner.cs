using System.Text;
using LibContainer.Interop;
using LibContainer.Spec;

namespace LibContainer.Hooks;

/// <summary>
/// Runs the hooks of one kind, in order, as the runtime-spec says: each with
/// the container's state on its standard input, its own args and env (the
/// runtime's environment when it gives none, as runc), killed at its timeout.
/// A hook that cannot start, exits non-zero or times out is an error naming it
/// ("hooks.prestart[1]"), with what it printed.
/// </summary>
public static unsafe class HookRunner
{
    private const int MaxOutput = 4096; // of a failing hook's output, in the error

    public static void RunAll(IReadOnlyList<Hook>? hooks, string kind, HookState state)
    {
        if (hooks is not { Count: > 0 }) return;
        var json = state.ToJson();
        for (var i = 0; i < hooks.Count; i++) Run(hooks[i], $"hooks.{kind}[{i}]", json);
    }

    /// <summary>The same, but a failure is handed to `warn` and the next hook runs (poststart, poststop).</summary>
    public static void RunAllWarning(IReadOnlyList<Hook>? hooks, string kind, HookState state, Action<string> warn)
    {
        if (hooks is not { Count: > 0 }) return;
        var json = state.ToJson();
        for (var i = 0; i < hooks.Count; i++)
        {
            try
            {
                Run(hooks[i], $"hooks.{kind}[{i}]", json);
            }
            catch (ContainerError e)
            {
                warn(e.Message);
            }
        }
    }

    private static void Run(Hook hook, string name, byte[] stateJson)
    {
        var path = hook.Path ?? "";
        var what = $"{name} ({path})";
        var pipes = stackalloc int[4];
        Syscall.Check(LibC.pipe2(pipes, O.CLOEXEC), $"{what}: pipe");
        using var stdinRead = new Fd(pipes[0]);
        using var stdinWrite = new Fd(pipes[1]);
        Syscall.Check(LibC.pipe2(pipes + 2, O.CLOEXEC), $"{what}: pipe");
        using var outputRead = new Fd(pipes[2]);
        var outputWrite = new Fd(pipes[3]);
        int pid;
        var actions = stackalloc byte[256]; // posix_spawn_file_actions_t is 80 bytes on glibc
        LibC.posix_spawn_file_actions_init(actions);
        try
        {
            LibC.posix_spawn_file_actions_adddup2(actions, stdinRead.Value, 0);
            LibC.posix_spawn_file_actions_adddup2(actions, outputWrite.Value, 1);
            LibC.posix_spawn_file_actions_adddup2(actions, outputWrite.Value, 2);
            using var argv = new Syscall.CStringArray(hook.Args is { Count: > 0 } args ? args : [path]);
            using var envp = new Syscall.CStringArray(hook.Env ?? CurrentEnvironment());
            var rc = LibC.posix_spawn(out pid, path, actions, null, argv.Pointer, envp.Pointer);
            if (rc != 0) throw ContainerError.FromErrno($"{what}: run", rc);
        }
        finally
        {
            LibC.posix_spawn_file_actions_destroy(actions);
            outputWrite.Dispose();
        }
        stdinRead.Dispose();
        // A hook that does not read its stdin must not fail the write: SIGPIPE is ignored by .NET, EPIPE is fine.
        try { Syscall.WriteAll(stdinWrite.Value, stateJson, $"{what}: write the state"); }
        catch (ContainerError) { }
        stdinWrite.Dispose();

        var deadline = hook.Timeout is { } seconds and > 0 ? Environment.TickCount64 + seconds * 1000L : long.MaxValue;
        var output = ReadOutput(outputRead, deadline);
        if (!WaitExit(pid, deadline, out var status))
        {
            LibC.kill(pid, 9);
            Syscall.Retry(() => LibC.waitpid(pid, out status, 0));
            throw new ContainerError($"{what}: timed out after {hook.Timeout} s{Printed(output)}");
        }
        if (status != 0)
        {
            var how = (status & 0x7f) == 0 ? $"exit status {(status >> 8) & 0xff}" : $"killed by signal {status & 0x7f}";
            throw new ContainerError($"{what}: {how}{Printed(output)}");
        }
    }

    private static string Printed(string output) => output.Length == 0 ? "" : $", output: {output.Trim()}";

    // Until the hook (and whatever keeps its output open) closes the pipe, or the deadline.
    private static string ReadOutput(Fd pipe, long deadline)
    {
        var text = new StringBuilder();
        var buffer = stackalloc byte[4096];
        while (true)
        {
            var pfd = new PollFd { Fd = pipe.Value, Events = 1 /* POLLIN */ };
            var rc = LibC.poll(&pfd, 1, Remaining(deadline));
            if (rc < 0 && Syscall.LastErrno == Errno.EINTR) continue;
            if (rc <= 0) return text.ToString(); // timed out: the caller kills it
            var n = LibC.read(pipe.Value, buffer, 4096);
            if (n < 0 && Syscall.LastErrno == Errno.EINTR) continue;
            if (n <= 0) return text.ToString();
            if (text.Length < MaxOutput) text.Append(Encoding.UTF8.GetString(buffer, (int)Math.Min(n, MaxOutput - text.Length)));
        }
    }

    // waitpid with a deadline: WNOHANG polls, 1 ms apart (a hook that closed its output is about to exit).
    private static bool WaitExit(int pid, long deadline, out int status)
    {
        const int WNOHANG = 1;
        status = 0;
        while (true)
        {
            int s = 0;
            var rc = Syscall.Retry(() => LibC.waitpid(pid, out s, WNOHANG));
            status = s;
            if (rc == pid) return true;
            if (rc < 0) throw ContainerError.FromErrno("wait for a hook", Syscall.LastErrno);
            if (Environment.TickCount64 >= deadline) return false;
            Thread.Sleep(1);
        }
    }

    private static int Remaining(long deadline) =>
        deadline == long.MaxValue ? -1 : (int)Math.Clamp(deadline - Environment.TickCount64, 0, int.MaxValue);

    private static List<string> CurrentEnvironment()
    {
        var env = new List<string>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            if (e.Key is string key && key != Processes.ContainerInit.SyncFdVariable) env.Add($"{key}={e.Value}");
        return env;
    }
}
