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
        config["process"]!["terminal"] = false; // spec's is runc's, with a terminal
        config["hostname"] = "bench";
        File.WriteAllText(spec, config.ToJsonString());
        return dir;
    }

    /// <summary>The same bundle, running `sleep` until deleted: a container to exec into.</summary>
    public static string MakeSleeper(string dir, string rootfs)
    {
        Directory.CreateDirectory(dir);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(rootfs)!, "config.json")))!.AsObject();
        config["root"]!["path"] = rootfs;
        config["process"]!["args"] = new JsonArray("sleep", "1000000");
        File.WriteAllText(Path.Combine(dir, "config.json"), config.ToJsonString());
        return dir;
    }

    /// <summary>
    /// Docker 20.10's config for `docker run --memory 64m --pids-limit 50 --cpus 0.5`
    /// (tests/EngineConfigs), on the same rootfs, running /bin/true: what an
    /// engine hands a runtime, with its resource blocks, devices and seccomp
    /// profile. Its prestart hook is taken out until oci-run has hooks;
    /// the files Docker bound in (hosts, resolv.conf, hostname) get stand-ins.
    /// </summary>
    public static string MakeFromDocker(string dir, string rootfs)
    {
        Directory.CreateDirectory(dir);
        var config = JsonNode.Parse(File.ReadAllText("tests/EngineConfigs/docker-20.10-limits.json"))!.AsObject();
        config["root"]!["path"] = rootfs;
        config["process"]!["args"] = new JsonArray("/bin/true");
        var linux = config["linux"]!.AsObject();
        linux.Remove("cgroupsPath"); // each runtime's default: a cgroup per container ID
        config.Remove("hooks");
        foreach (var mount in config["mounts"]!.AsArray())
        {
            if ((string?)mount!["type"] != "bind") continue;
            var standIn = Path.Combine(dir, Path.GetFileName((string)mount["destination"]!));
            File.WriteAllText(standIn, "");
            mount["source"] = standIn;
        }
        File.WriteAllText(Path.Combine(dir, "config.json"), config.ToJsonString());
        return dir;
    }

    private static void Run(string program, params string[] args)
    {
        using var process = Process.Start(program, args);
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode})");
    }
}
