using System.Diagnostics;

namespace OciRun.EngineTests.Support;

public sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout and stderr together, for messages that may come on either.</summary>
    public string Output => Stdout + Stderr;

    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>Runs the engines' command-line tools, always with stdin from /dev/null (ctr never sees a pipe close).</summary>
public static class Command
{
    public static CommandResult Run(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null, int timeoutSeconds = 90)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["-c", "exec \"$0\" \"$@\" </dev/null", file, .. args]) info.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{file} {string.Join(' ', args)}` did not finish within {timeoutSeconds}s");
        }
        process.WaitForExit();
        return new CommandResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>A shell script (for pipes, redirections and `script`); fails the test if it times out.</summary>
    public static CommandResult Shell(string script, IReadOnlyDictionary<string, string>? env = null, int timeoutSeconds = 90) =>
        Run("/bin/sh", ["-c", script], env, timeoutSeconds);

    /// <summary>Runs and demands exit 0, for the set-up steps a test relies on.</summary>
    public static CommandResult MustRun(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null, int timeoutSeconds = 90)
    {
        var result = Run(file, args, env, timeoutSeconds);
        if (result.ExitCode != 0) throw new InvalidOperationException($"`{file} {string.Join(' ', args)}` failed: {result}");
        return result;
    }

    /// <summary>
    /// Starts a daemon in the background, its output appended to a log file; the
    /// returned PID is the daemon's own (the shell execs it, as `unshare` does).
    /// </summary>
    public static int StartDaemon(string file, IEnumerable<string> args, string logFile, IReadOnlyDictionary<string, string>? env = null)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var a in (string[])["-c", "log=$1; shift; exec \"$@\" </dev/null >>\"$log\" 2>&1", "sh", logFile, file, .. args]) info.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        return process.Id;
    }

    public static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";
}
