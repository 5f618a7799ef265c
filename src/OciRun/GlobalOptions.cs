using System.CommandLine;

namespace OciRun;

/// <summary>runc's global flags; they may stand before or after the command.</summary>
public sealed class GlobalOptions
{
    public const string DefaultRoot = "/run/oci-run";

    public Option<string> Root { get; } = new("--root")
    {
        Description = "root directory for storage of container state",
        DefaultValueFactory = _ => DefaultRoot,
        Recursive = true,
    };

    public Option<string?> Log { get; } = new("--log") { Description = "set the log file to write oci-run logs to (default is stderr)", Recursive = true };

    public Option<string> LogFormat { get; } = new("--log-format")
    {
        Description = "set the log format ('text' (default), or 'json')",
        DefaultValueFactory = _ => "text",
        Recursive = true,
    };

    public Option<bool> Debug { get; } = new("--debug") { Description = "enable debug logging", Recursive = true };

    public Option<bool> SystemdCgroup { get; } = new("--systemd-cgroup") { Description = "use the systemd cgroup driver", Recursive = true };

    public IEnumerable<Option> All => [Root, Log, LogFormat, Debug, SystemdCgroup];

    public Reporter ReporterFor(ParseResult result) =>
        new(result.GetValue(Log), result.GetValue(LogFormat) ?? "text", result.GetValue(Debug));
}
