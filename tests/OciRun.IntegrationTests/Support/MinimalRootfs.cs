namespace OciRun.IntegrationTests.Support;

/// <summary>
/// A small writable rootfs of a test's own (busybox and a few applets), for
/// tests that plant symlinks or files the shared read-only rootfs must not get.
/// </summary>
public static class MinimalRootfs
{
    public static string Make(string dir)
    {
        foreach (var d in new[] { "bin", "dev", "etc", "sys", "tmp" })
            Directory.CreateDirectory(Path.Combine(dir, d));
        File.Copy("/bin/busybox", Path.Combine(dir, "bin", "busybox"));
        foreach (var applet in new[] { "sh", "cat", "echo", "ls", "pwd", "true", "grep", "sleep", "readlink", "mount" })
            File.CreateSymbolicLink(Path.Combine(dir, "bin", applet), "busybox");
        return dir;
    }
}
