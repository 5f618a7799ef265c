namespace OciRun.IntegrationTests.Support;

/// <summary>
/// A writable rootfs of a test's own, made by the one busybox recipe
/// (bundles/busybox/make-rootfs.sh), for tests that plant symlinks or files
/// the shared read-only rootfs must not get.
/// </summary>
public static class MinimalRootfs
{
    public static string Make(string dir)
    {
        var made = Runtime.Shell($"'{Path.Combine(Runtime.RepoRoot, "bundles", "busybox", "make-rootfs.sh")}' '{dir}'", timeoutSeconds: 300);
        if (made.ExitCode != 0) throw new InvalidOperationException($"make-rootfs.sh failed: {made}");
        return dir;
    }
}
