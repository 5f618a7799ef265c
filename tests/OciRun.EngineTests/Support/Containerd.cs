namespace OciRun.EngineTests.Support;

/// <summary>
/// A private containerd: its own config, root, state, socket and opt dir under
/// the Scratch, no ttrpc or debug socket; CRI on only when asked (with the
/// config lines for it). Ready when `ctr version` answers.
/// </summary>
public sealed class Containerd
{
    public string Socket { get; }
    public string Log { get; }

    private Containerd(string socket, string log) => (Socket, Log) = (socket, log);

    public static Containerd Start(Scratch scratch, string? criConfig = null)
    {
        var socket = scratch.Path("containerd.sock");
        var config = scratch.Path("containerd.toml");
        var log = scratch.Path("containerd.log");
        File.WriteAllText(config, $"""
            version = 2
            root = "{scratch.MakeDir("containerd", "root")}"
            state = "{scratch.MakeDir("containerd", "state")}"
            {(criConfig is null ? "disabled_plugins = [\"io.containerd.grpc.v1.cri\"]" : "")}
            [grpc]
              address = "{socket}"
            [ttrpc]
              address = ""
            [debug]
              address = ""
            [plugins."io.containerd.internal.v1.opt"]
              path = "{scratch.MakeDir("containerd", "opt")}"
            {criConfig ?? ""}
            """);
        scratch.AddShimAddress(socket);
        var pid = Command.StartDaemon("containerd", ["--config", config], log);
        scratch.AddDaemon(pid);
        var containerd = new Containerd(socket, log);
        EngineFixture.WaitFor(() =>
        {
            if (!Host.IsAlive(pid)) throw new InvalidOperationException($"containerd exited: {Tail(log)}");
            return Command.Run("ctr", ["-a", socket, "version"], timeoutSeconds: 10).ExitCode == 0;
        }, $"containerd answering on {socket} ({Tail(log)})");
        return containerd;
    }

    public CommandResult Ctr(string ns, params string[] args) =>
        Command.Run("ctr", ["-a", Socket, "-n", ns, .. args]);

    public void Import(string ns, string ociTar) =>
        Command.MustRun("ctr", ["-a", Socket, "-n", ns, "images", "import", "--base-name", BusyboxImage.CtrName, ociTar], timeoutSeconds: 120);

    /// <summary>Kills and deletes every task and container of a namespace (teardown).</summary>
    public void RemoveAll(string ns)
    {
        var ids = Ctr(ns, "containers", "ls", "-q").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var id in ids)
        {
            Ctr(ns, "tasks", "delete", "--force", id);
            Ctr(ns, "containers", "delete", id);
        }
    }

    public static string Tail(string log) =>
        File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(5)) : "(no log)";
}
