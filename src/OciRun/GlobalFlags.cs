using OciRun.CommandLine;

namespace OciRun;

/// <summary>runc's global flags; they may stand before or after the command.</summary>
public static class GlobalFlags
{
    public const string DefaultRoot = "/run/oci-run";

    public static readonly StringFlag Root = new("root", "root directory for storage of container state", ValueName: "DIR", Default: DefaultRoot);
    public static readonly StringFlag Log = new("log", "set the log file to write oci-run logs to (default is stderr)", ValueName: "FILE");
    public static readonly StringFlag LogFormat = new("log-format", "set the log format ('text' or 'json')", ValueName: "FORMAT", Default: "text");
    public static readonly SwitchFlag Debug = new("debug", "enable debug logging");
    public static readonly SwitchFlag SystemdCgroup = new("systemd-cgroup", "use the systemd cgroup driver");
    public static readonly SwitchFlag Version = new("version", "print the version", Short: 'v');

    // Last: static fields are set in the order they are written, and this one lists those above.
    public static readonly Flag[] All = [Root, Log, LogFormat, Debug, SystemdCgroup, Version];
}
