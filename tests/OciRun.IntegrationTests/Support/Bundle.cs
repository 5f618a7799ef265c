namespace OciRun.IntegrationTests.Support;

/// <summary>
/// A bundle made at test time: config.json (a JsonObject the test may change
/// before Write) and a busybox rootfs shared read-only by all tests.
/// </summary>
public sealed class Bundle
{
    private static readonly Lazy<string> SharedRootfs = new(MakeRootfs);

    // The runtime's own default (`oci-run spec`, runc's), read once.
    private static readonly Lazy<string> SpecJson = new(() =>
    {
        var dir = Directory.CreateTempSubdirectory("ocirun-test-spec-").FullName;
        try
        {
            var spec = Runtime.Exec(["spec"], dir);
            if (spec.ExitCode != 0) throw new InvalidOperationException($"oci-run spec failed: {spec}");
            return File.ReadAllText(Path.Combine(dir, "config.json"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    });

    public string Dir { get; }
    public JsonObject Config { get; }

    public Bundle(string dir, params string[] args)
    {
        Dir = dir;
        Directory.CreateDirectory(dir);
        Config = DefaultConfig(SharedRootfs.Value, args);
    }

    public JsonObject Process => Config["process"]!.AsObject();
    public JsonObject Linux => Config["linux"]!.AsObject();
    public JsonArray Mounts => Config["mounts"]!.AsArray();

    public Bundle Write()
    {
        File.WriteAllText(Path.Combine(Dir, "config.json"), Config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return this;
    }

    public void RemoveNamespace(string type)
    {
        var list = Linux["namespaces"]!.AsArray();
        foreach (var n in list.ToList())
            if ((string?)n!["type"] == type) list.Remove(n);
    }

    // bundles/busybox/make-rootfs.sh, the one busybox recipe, plus what tests rely on:
    // a mount point /data in the read-only rootfs, and a user 1000 with a home.
    private static string MakeRootfs()
    {
        var rootfs = Path.Combine(Path.GetTempPath(), $"ocirun-test-rootfs-{Environment.ProcessId}");
        var made = Runtime.Shell($"'{Path.Combine(Runtime.RepoRoot, "bundles", "busybox", "make-rootfs.sh")}' '{rootfs}'", timeoutSeconds: 300);
        if (made.ExitCode != 0) throw new InvalidOperationException($"make-rootfs.sh failed: {made}");
        Directory.CreateDirectory(Path.Combine(rootfs, "data"));
        File.AppendAllText(Path.Combine(rootfs, "etc", "passwd"), "user:x:1000:1000:user:/home/user:/bin/sh\n");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(rootfs, true); } catch (IOException) { } };
        return rootfs;
    }

    // `oci-run spec`'s config with the shared rootfs and the given args, and no terminal (the tests read
    // the container's stdio as pipes; TerminalTests turn it on); NewBundle adds the cgroupsPath.
    private static JsonObject DefaultConfig(string rootfs, string[] args)
    {
        var config = JsonNode.Parse(SpecJson.Value)!.AsObject();
        config["root"]!["path"] = rootfs;
        config["process"]!["terminal"] = false;
        config["process"]!["args"] = new JsonArray(args.Select(a => (JsonNode)a).ToArray());
        return config;
    }
}
