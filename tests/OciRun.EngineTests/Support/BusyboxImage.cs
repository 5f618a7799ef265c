namespace OciRun.EngineTests.Support;

/// <summary>
/// The busybox image every engine imports, made offline once per test run by
/// the repo's one busybox recipe (bundles/busybox/make-rootfs.sh): a rootfs
/// tar for `docker import` / `podman import`, and an OCI layout tar (umoci) for
/// `ctr images import` with two tags: `latest` (cmd sh) and `pause`, whose
/// entrypoint never exits, for CRI's sandbox_image.
/// </summary>
public sealed class BusyboxImage
{
    public const string PathEnv = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>`ctr images import --base-name` gives refs named NAME:TAG.</summary>
    public const string CtrName = "local.test/busybox";
    public const string CtrImage = CtrName + ":latest";
    public const string CtrPauseImage = CtrName + ":pause";

    public string RootfsTar { get; }
    public string OciTar { get; }

    private BusyboxImage(string rootfsTar, string ociTar) => (RootfsTar, OciTar) = (rootfsTar, ociTar);

    private static readonly Lazy<BusyboxImage> Made = new(Make);

    /// <summary>The image, made on first use; umoci is needed only for the OCI layout.</summary>
    public static BusyboxImage Shared => Made.Value;

    private static BusyboxImage Make()
    {
        var dir = Directory.CreateTempSubdirectory("oe-image-").FullName;
        Scratch.MarkOwned(dir);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(dir, true); } catch (IOException) { } };
        var rootfs = Path.Combine(dir, "rootfs");
        Command.MustRun(Path.Combine(Runtimes.RepoRoot, "bundles", "busybox", "make-rootfs.sh"), [rootfs], timeoutSeconds: 300);
        var rootfsTar = Path.Combine(dir, "rootfs.tar");
        Command.MustRun("tar", ["-C", rootfs, "-cf", rootfsTar, "."]);

        var ociTar = Path.Combine(dir, "oci.tar");
        if (Host.Which("umoci") is { } umoci)
        {
            var layout = Path.Combine(dir, "oci");
            var unpacked = Path.Combine(dir, "unpacked");
            Command.MustRun(umoci, ["init", "--layout", layout]);
            Command.MustRun(umoci, ["new", "--image", layout + ":latest"]);
            Command.MustRun(umoci, ["unpack", "--image", layout + ":latest", unpacked]);
            Command.MustRun("cp", ["-a", rootfs + "/.", Path.Combine(unpacked, "rootfs") + "/"]);
            Command.MustRun(umoci, ["repack", "--image", layout + ":latest", unpacked]);
            Command.MustRun(umoci, ["config", "--image", layout + ":latest", "--config.cmd", "sh", "--config.env", PathEnv]);
            // The sandbox's "pause": an entrypoint that never exits (CRI pulls an image it does not find).
            Command.MustRun(umoci, ["config", "--image", layout + ":latest", "--tag", "pause",
                "--config.entrypoint", "sleep", "--config.entrypoint", "2147483647", "--clear", "config.cmd"]);
            Command.MustRun("tar", ["-C", layout, "-cf", ociTar, "."]);
            Directory.Delete(layout, true);
            Directory.Delete(unpacked, true);
        }
        // Only the two tars stay, for the engines to import: little for the exit handler to remove.
        Directory.Delete(rootfs, true);
        return new BusyboxImage(rootfsTar, ociTar);
    }
}
