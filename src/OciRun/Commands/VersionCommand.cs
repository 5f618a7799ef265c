namespace OciRun.Commands;

public static class VersionCommand
{
    /// <summary>Prints the three lines containerd's client parses: NAME version X, commit: X, spec: X.</summary>
    public static int Print()
    {
        // BuildInfo is written at build time (see OciRun.csproj): reading the attribute would pull in reflection.
        var informational = BuildInfo.InformationalVersion;
        var plus = informational.IndexOf('+');
        var version = plus < 0 ? informational : informational[..plus];
        var commit = plus < 0 ? "unknown" : informational[(plus + 1)..];
        StandardOutput.Write($"oci-run version {version}\ncommit: {commit}\nspec: {LibContainer.Containers.SpecVersion}\n");
        return 0;
    }
}
