namespace OciRun.EngineTests.Support;

/// <summary>
/// The two runtimes every check runs with: oci-run (the binary under test) and
/// runc (the reference). A check that fails with both points at the engine or
/// the host, one that fails only with oci-run at oci-run.
/// </summary>
public static class Runtimes
{
    public const string OciRun = "oci-run";
    public const string Runc = "runc";

    /// <summary>Theory data: one row per runtime.</summary>
    public static TheoryData<string> Both => new() { OciRun, Runc };

    /// <summary>
    /// The runtime's binary (an absolute path, as the engines need). A missing
    /// oci-run fails the test (build it first); a missing runc skips it.
    /// </summary>
    public static string Binary(string runtime)
    {
        var path = Installed(runtime);
        if (path is null && runtime == OciRun) throw new InvalidOperationException(
            $"no oci-run binary at '{DefaultOciRun}': build it with `dotnet publish src/OciRun -c Release -r linux-x64 -o artifacts/bin` or set OCIRUN_BIN");
        Skip.If(path is null, "runc is not installed (apt-get install runc)");
        return path!;
    }

    /// <summary>The runtime's binary, or null when it is not installed (for fixtures, which must not skip).</summary>
    public static string? Installed(string runtime) => runtime == OciRun ? OciRunBinary.Value : RuncBinary.Value;

    /// <summary>A short name for the runtime in container names and paths.</summary>
    public static string Short(string runtime) => runtime == OciRun ? "oci" : "runc";

    private static readonly Lazy<string?> OciRunBinary = new(() => File.Exists(DefaultOciRun) ? DefaultOciRun : null);

    private static string DefaultOciRun =>
        Environment.GetEnvironmentVariable("OCIRUN_BIN") is { Length: > 0 } fromEnv
            ? Path.GetFullPath(fromEnv)
            : Path.Combine(RepoRoot, "artifacts", "bin", "oci-run");

    private static readonly Lazy<string?> RuncBinary = new(() => Host.Which("runc"));

    /// <summary>The checkout the tests run from (where OciRun.sln is).</summary>
    public static string RepoRoot => RepoRootDir.Value;

    private static readonly Lazy<string> RepoRootDir = new(FindRepoRoot);

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OciRun.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException($"no OciRun.sln above {AppContext.BaseDirectory}");
    }
}
