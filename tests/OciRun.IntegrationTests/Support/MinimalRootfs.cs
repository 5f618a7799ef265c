namespace OciRun.IntegrationTests.Support;

/// <summary>
/// A writable rootfs of a test's own, made by the one busybox recipe
/// (bundles/busybox/make-rootfs.sh), for tests that plant symlinks or files
/// the shared read-only rootfs must not get. The recipe runs once per test
/// run (it forks a link per applet: seconds on a busy machine); each test
/// gets a copy of that.
/// </summary>
public static class MinimalRootfs
{
    private static readonly Lazy<string> Template = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), $"ocirun-test-rootfs-template-{Environment.ProcessId}");
        var made = Runtime.Shell($"'{Path.Combine(Runtime.RepoRoot, "bundles", "busybox", "make-rootfs.sh")}' '{dir}'", timeoutSeconds: 300);
        if (made.ExitCode != 0) throw new InvalidOperationException($"make-rootfs.sh failed: {made}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(dir, true); } catch (IOException) { } };
        return dir;
    });

    public static string Make(string dir)
    {
        var copied = Runtime.Shell($"rm -rf '{dir}' && cp -a '{Template.Value}' '{dir}'");
        if (copied.ExitCode != 0) throw new InvalidOperationException($"copy of the busybox rootfs failed: {copied}");
        return dir;
    }
}
