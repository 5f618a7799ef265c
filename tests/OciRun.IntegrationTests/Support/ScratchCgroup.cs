using System.Diagnostics;

namespace OciRun.IntegrationTests.Support;

/// <summary>
/// A cgroup a test makes for itself, /oci-run-test/NAME in one hierarchy,
/// with shells run inside it. Dispose kills what is left in it and removes
/// it (and /oci-run-test if that is empty), whether the test passed or not.
/// </summary>
public sealed class ScratchCgroup : IDisposable
{
    public string Dir { get; }

    public ScratchCgroup(CgroupHierarchy hierarchy, string name)
    {
        Dir = hierarchy.Dir($"/{ContainerTest.CgroupParent}/{name}");
        Directory.CreateDirectory(Dir);
    }

    /// <summary>Runs `sh -c SCRIPT` after the shell has moved itself into the cgroup; its children stay there too.</summary>
    public RunResult Shell(string script)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"echo $$ > '{Path.Combine(Dir, "cgroup.procs")}' || exit 99\n{script}");
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{script}` did not finish within 30s");
        }
        process.WaitForExit();
        var result = new RunResult(process.ExitCode, stdout.Result, stderr.Result);
        if (result.ExitCode == 99) throw new InvalidOperationException($"the shell could not join {Dir}: {result.Stderr}");
        return result;
    }

    public void Dispose()
    {
        for (var attempt = 0; Directory.Exists(Dir); attempt++)
        {
            try
            {
                Directory.Delete(Dir); // rmdir: a cgroup's control files go with it
            }
            catch (IOException) when (attempt < 100)
            {
                // Busy: a process is still inside (a test that failed mid-way) or still exiting.
                foreach (var line in File.ReadAllLines(Path.Combine(Dir, "cgroup.procs")))
                    try { Process.GetProcessById(int.Parse(line)).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
                Thread.Sleep(20);
            }
        }
        try { Directory.Delete(Path.GetDirectoryName(Dir)!); } catch (IOException) { /* another test's cgroup is still inside */ }
    }
}
