using System.Diagnostics;
using System.Text.Json.Nodes;

namespace OciRun.Benchmark;

/// <summary>
/// The one bundle every runtime runs: bundles/busybox/make-rootfs.sh's rootfs
/// and `oci-run spec`'s config (runc's default) with /bin/true.
/// </summary>
public static class Bundle
{
    public static string Make(string dir, string ociRun)
    {
        Directory.CreateDirectory(dir);
        Run("bundles/busybox/make-rootfs.sh", Path.Combine(dir, "rootfs"));
        var spec = Path.Combine(dir, "config.json");
        File.Delete(spec);
        Run(ociRun, "spec", "--bundle", dir);
        var config = JsonNode.Parse(File.ReadAllText(spec))!.AsObject();
        // Debian's crun 1.8 refuses newer version strings.
        config["ociVersion"] = "1.0.2-dev";
        config["process"]!["args"] = new JsonArray("/bin/true");
        config["hostname"] = "bench";
        File.WriteAllText(spec, config.ToJsonString());
        return dir;
    }

    private static void Run(string program, params string[] args)
    {
        using var process = Process.Start(program, args);
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode})");
    }
}
