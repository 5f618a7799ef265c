using System.Diagnostics;

namespace OciRun.IntegrationTests.Support;

public sealed record RunResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>Runs the runtime binary under test (OCIRUN_BIN, else artifacts/bin/oci-run) with one --root.</summary>
public sealed class Runtime(string root)
{
    public string Root { get; } = root;

    /// <summary>The checkout the tests run from (where OciRun.sln is).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Binary { get; } = FindBinary();

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OciRun.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException($"no OciRun.sln above {AppContext.BaseDirectory}");
    }

    private static string FindBinary()
    {
        var fromEnv = Environment.GetEnvironmentVariable("OCIRUN_BIN");
        if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
        var path = Path.Combine(RepoRoot, "artifacts", "bin", "oci-run");
        if (!File.Exists(path))
            throw new InvalidOperationException($"no runtime binary at '{path}': build it with `dotnet publish src/OciRun -c Release -r linux-x64 -o artifacts/bin` or set OCIRUN_BIN");
        return path;
    }

    /// <summary>Runs `BIN --root ROOT args...`; a hang fails the test instead of blocking the run.</summary>
    public RunResult Run(params string[] args) => Exec(["--root", Root, .. args]);

    public RunResult RunIn(string workingDirectory, params string[] args) => Exec(["--root", Root, .. args], workingDirectory);

    public static RunResult Exec(IEnumerable<string> args, string? workingDirectory = null, string? stdin = null, int timeoutSeconds = 60)
    {
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        return Wait(Process.Start(info)!, stdin, timeoutSeconds, string.Join(' ', args));
    }

    /// <summary>Runs a shell command line (for fd redirections a ProcessStartInfo cannot express).</summary>
    public static RunResult Shell(string script, int timeoutSeconds = 60)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        return Wait(Process.Start(info)!, null, timeoutSeconds, script);
    }

    private static RunResult Wait(Process process, string? stdin, int timeoutSeconds, string what)
    {
        if (stdin is not null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{what}` did not finish within {timeoutSeconds}s");
        }
        process.WaitForExit();
        return new RunResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
