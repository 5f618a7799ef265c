using OciRun.CommandLine;

namespace OciRun;

/// <summary>runc's global flags; they may stand before or after the command.</summary>
public static class GlobalFlags
{
    public const string DefaultRoot = "/run/oci-run";
    public const string Root = "root", Log = "log", LogFormat = "log-format", Debug = "debug", SystemdCgroup = "systemd-cgroup", Version = "version";

    public static readonly Flag[] All =
    [
        new(Root, "root directory for storage of container state", ValueName: "DIR", Default: DefaultRoot),
        new(Log, "set the log file to write oci-run logs to (default is stderr)", ValueName: "FILE"),
        new(LogFormat, "set the log format ('text' or 'json')", ValueName: "FORMAT", Default: "text"),
        new(Debug, "enable debug logging"),
        new(SystemdCgroup, "use the systemd cgroup driver"),
        new(Version, "print the version", Short: 'v'),
    ];
}
