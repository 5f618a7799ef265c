using OciRun.EngineTests.Support;

namespace OciRun.EngineTests;

/// <summary>
/// dockerd 20.10 on a private containerd, in a network namespace of its own
/// (its bridge, and so libnetwork's prestart hook, stay off the host) with its
/// own data root, exec root and socket, iptables off; oci-run added with
/// --add-runtime. Debian's client (/usr/bin/docker) with -H: another docker may
/// come first on PATH.
/// </summary>
public sealed class DockerFixture : EngineFixture
{
    private const string Client = "/usr/bin/docker";

    private string socket = null!;

    public DockerFixture() : base("docker", "containerd", "ctr", "containerd-shim-runc-v2", "dockerd", Client, "unshare", "script") { }

    protected override void Start()
    {
        var execRoot = Scratch.Path("run");
        // Every runtime name shares the one runtime root under the exec root.
        foreach (var runtime in new[] { Runtimes.OciRun, Runtimes.Runc })
            if (Runtimes.Installed(runtime) is { } binary) Scratch.AddRuntimeRoot(binary, Path.Combine(execRoot, "runtime-runc", "moby"));
        var containerd = Containerd.Start(Scratch);
        socket = Scratch.Path("docker.sock");
        var config = Scratch.Path("daemon.json");
        File.WriteAllText(config, "{}\n");
        string[] addOciRun = Runtimes.Installed(Runtimes.OciRun) is { } ociRun ? ["--add-runtime", $"{Runtimes.OciRun}={ociRun}"] : [];
        var pid = Command.StartDaemon("unshare", ["--net", "dockerd", "--config-file", config,
            "--data-root", Scratch.Path("root"), "--exec-root", execRoot, "--pidfile", Scratch.Path("docker.pid"),
            "-H", "unix://" + socket, "--containerd", containerd.Socket, "--iptables=false", "--ip-masq=false", .. addOciRun],
            Scratch.Path("dockerd.log"));
        Scratch.AddDaemon(pid);
        Scratch.OnTeardown(RemoveAll);
        WaitFor(() =>
        {
            if (!Host.IsAlive(pid)) throw new InvalidOperationException($"dockerd exited: {Containerd.Tail(Scratch.Path("dockerd.log"))}");
            return Docker("version").ExitCode == 0;
        }, "dockerd answering");
        var bridge = Docker("network", "inspect", "bridge", "--format", "{{range .IPAM.Config}}{{.Subnet}}{{end}}");
        if (bridge.ExitCode != 0 || bridge.Stdout.Trim() == "")
            throw new InvalidOperationException($"dockerd has no default bridge network (its prestart hook would not run): {bridge}");
        Command.MustRun(Client, ["-H", "unix://" + socket, "import", BusyboxImage.Shared.RootfsTar, "busybox:latest"], Env, timeoutSeconds: 120);
    }

    // The client's config dir: nothing of the host's ~/.docker, nothing written there.
    private Dictionary<string, string> Env => new() { ["DOCKER_CONFIG"] = Scratch.MakeDir("client") };

    public CommandResult Docker(params string[] args) => Command.Run(Client, ["-H", "unix://" + socket, .. args], Env);

    /// <summary>The client line for `script` (a pty for `-t`), quoted for sh.</summary>
    public string DockerShellLine(params string[] args) =>
        $"DOCKER_CONFIG={Command.Quote(Env["DOCKER_CONFIG"])} " + string.Join(' ', new[] { Client, "-H", "unix://" + socket }.Concat(args).Select(Command.Quote));

    public string State(string name) => Docker("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name).Stdout.Trim();

    private void RemoveAll()
    {
        var ids = Docker("ps", "-aq").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Length > 0) Docker(["rm", "-f", .. ids]);
    }
}

public sealed class DockerTests(DockerFixture engine) : IClassFixture<DockerFixture>
{
    private static readonly string[] Waiter = ["sh", "-c", "trap 'exit 7' TERM; sleep 1000 & wait"];

    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void Run_rm_shows_the_output_and_the_exit_status(string runtime)
    {
        engine.Require();
        var name = EngineFixture.NewId("run", runtime);
        try
        {
            var run = engine.Docker(["run", "--rm", .. For(name, runtime), "busybox", "sh", "-c", "echo hello from busybox; exit 3"]);

            run.ExitCode.Should().Be(3, run.ToString());
            run.Stdout.Should().Contain("hello from busybox");
        }
        finally { engine.Docker("rm", "-f", name); }
    }

    // libnetwork-setkey, Docker's prestart hook, tells dockerd the container's netns: without it no eth0 is moved in.
    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void The_default_network_reaches_the_container_through_the_prestart_hook(string runtime)
    {
        engine.Require();
        var name = EngineFixture.NewId("net", runtime);
        try
        {
            var run = engine.Docker(["run", "--rm", .. For(name, runtime), "busybox", "ip", "-o", "-4", "addr", "show", "eth0"]);

            run.ExitCode.Should().Be(0, run.ToString());
            run.Stdout.Should().MatchRegex(@"eth0\s+inet \d+\.\d+\.\d+\.\d+/\d+", "the bridge gave the container an address");
        }
        finally { engine.Docker("rm", "-f", name); }
    }

    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void Exec_in_a_detached_container_shows_its_output_and_exit_status(string runtime)
    {
        engine.Require();
        var name = EngineFixture.NewId("exec", runtime);
        try
        {
            var run = engine.Docker(["run", "-d", .. For(name, runtime), "busybox", .. Waiter]);
            run.ExitCode.Should().Be(0, run.ToString());

            var exec = engine.Docker("exec", name, "sh", "-c", "echo exec in $(cat /proc/1/comm); exit 4");

            exec.ExitCode.Should().Be(4, exec.ToString());
            exec.Stdout.Should().Contain("exec in sh");
        }
        finally { engine.Docker("rm", "-f", name); }
    }

    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void Exec_with_a_tty_runs_on_a_pty(string runtime)
    {
        engine.Require();
        var name = EngineFixture.NewId("tty", runtime);
        try
        {
            var run = engine.Docker(["run", "-d", .. For(name, runtime), "busybox", .. Waiter]);
            run.ExitCode.Should().Be(0, run.ToString());

            // `script` gives the client the terminal `-t` needs; its output has \r\n and may have NULs.
            var exec = Command.Shell($"script -qec {Command.Quote(engine.DockerShellLine("exec", "-t", name, "sh", "-c", "tty; exit 5"))} /dev/null");
            var output = exec.Stdout.Replace("\r", "").Replace("\0", "");

            output.Should().MatchRegex(@"/dev/pts/\d+", exec.ToString());
            exec.ExitCode.Should().Be(5, exec.ToString());
        }
        finally { engine.Docker("rm", "-f", name); }
    }

    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void Run_with_a_tty_runs_on_a_pty(string runtime)
    {
        engine.Require();
        var name = EngineFixture.NewId("runtty", runtime);
        try
        {
            var run = Command.Shell($"script -qec {Command.Quote(engine.DockerShellLine(["run", "--rm", "-t", .. For(name, runtime), "busybox", "sh", "-c", "tty; exit 6"]))} /dev/null");
            var output = run.Stdout.Replace("\r", "").Replace("\0", "");

            output.Should().MatchRegex(@"/dev/pts/\d+", run.ToString());
            run.ExitCode.Should().Be(6, run.ToString());
        }
        finally { engine.Docker("rm", "-f", name); }
    }

    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void Stop_sends_sigterm_and_the_exit_status_shows(string runtime)
    {
        engine.Require();
        var name = EngineFixture.NewId("stop", runtime);
        try
        {
            var run = engine.Docker(["run", "-d", .. For(name, runtime), "busybox", .. Waiter]);
            run.ExitCode.Should().Be(0, run.ToString());

            var stop = engine.Docker("stop", name);

            stop.ExitCode.Should().Be(0, stop.ToString());
            engine.State(name).Should().Be("exited 7", "the container's trap ran on SIGTERM");
        }
        finally { engine.Docker("rm", "-f", name); }
    }

    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void Pause_and_unpause_show_in_its_state(string runtime)
    {
        engine.Require();
        var name = EngineFixture.NewId("pause", runtime);
        try
        {
            var run = engine.Docker(["run", "-d", .. For(name, runtime), "busybox", .. Waiter]);
            run.ExitCode.Should().Be(0, run.ToString());

            engine.Docker("pause", name).ExitCode.Should().Be(0);
            engine.State(name).Should().Be("paused 0");
            engine.Docker("unpause", name).ExitCode.Should().Be(0);
            engine.State(name).Should().Be("running 0");
        }
        finally { engine.Docker("rm", "-f", name); }
    }

    // `docker top` asks the runtime for the container's pids (`ps --format json`).
    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void Top_lists_the_container_processes(string runtime)
    {
        engine.Require();
        var name = EngineFixture.NewId("top", runtime);
        try
        {
            var run = engine.Docker(["run", "-d", .. For(name, runtime), "busybox", .. Waiter]);
            run.ExitCode.Should().Be(0, run.ToString());

            var top = engine.Docker("top", name);

            top.ExitCode.Should().Be(0, top.ToString());
            top.Stdout.Should().Contain("sleep 1000");
        }
        finally { engine.Docker("rm", "-f", name); }
    }

    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void Kill_with_a_signal_reaches_the_container(string runtime)
    {
        engine.Require();
        var name = EngineFixture.NewId("sig", runtime);
        try
        {
            var run = engine.Docker(["run", "-d", .. For(name, runtime), "busybox", "sh", "-c", "trap 'exit 9' USR1; sleep 1000 & wait"]);
            run.ExitCode.Should().Be(0, run.ToString());

            var kill = engine.Docker("kill", "--signal", "USR1", name);

            kill.ExitCode.Should().Be(0, kill.ToString());
            engine.Docker("wait", name).Stdout.Trim().Should().Be("9", "the container's USR1 trap ran");
        }
        finally { engine.Docker("rm", "-f", name); }
    }

    // `docker update` hands the runtime new resources (`update --resources -`); read back from the host's cgroups.
    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void Update_changes_the_limits_of_a_running_container(string runtime)
    {
        engine.Require();
        Skip.IfNot(Directory.Exists("/sys/fs/cgroup/pids") && Directory.Exists("/sys/fs/cgroup/cpu"), "reads cgroup v1 files: this host has no v1 pids and cpu hierarchies");
        var name = EngineFixture.NewId("update", runtime);
        try
        {
            var run = engine.Docker(["run", "-d", .. For(name, runtime), "--pids-limit", "50", "--cpu-shares", "1024", "busybox", .. Waiter]);
            run.ExitCode.Should().Be(0, run.ToString());
            var id = run.Stdout.Trim();

            var update = engine.Docker("update", "--pids-limit", "40", "--cpu-shares", "512", name);

            update.ExitCode.Should().Be(0, update.ToString());
            File.ReadAllText($"/sys/fs/cgroup/pids/docker/{id}/pids.max").Trim().Should().Be("40");
            File.ReadAllText($"/sys/fs/cgroup/cpu/docker/{id}/cpu.shares").Trim().Should().Be("512");
        }
        finally { engine.Docker("rm", "-f", name); }
    }

    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void Restart_runs_the_container_again(string runtime)
    {
        engine.Require();
        var name = EngineFixture.NewId("restart", runtime);
        try
        {
            var run = engine.Docker(["run", "-d", .. For(name, runtime), "busybox", .. Waiter]);
            run.ExitCode.Should().Be(0, run.ToString());
            var firstPid = engine.Docker("inspect", "--format", "{{.State.Pid}}", name).Stdout.Trim();

            var restart = engine.Docker("restart", "-t", "5", name);

            restart.ExitCode.Should().Be(0, restart.ToString());
            engine.State(name).Should().Be("running 0");
            engine.Docker("inspect", "--format", "{{.State.Pid}}", name).Stdout.Trim().Should().NotBe(firstPid, "a new init runs");
        }
        finally { engine.Docker("rm", "-f", name); }
    }

    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void Memory_pids_and_cpu_limits_are_felt_inside(string runtime)
    {
        engine.Require();
        Skip.IfNot(Directory.Exists("/sys/fs/cgroup/memory"), "reads cgroup v1 files: this host has no v1 memory hierarchy");
        var name = EngineFixture.NewId("limits", runtime);
        try
        {
            var run = engine.Docker(["run", "--rm", .. For(name, runtime), "--memory", "64m", "--pids-limit", "50", "--cpus", "0.5",
                "busybox", "sh", "-c", "cd /sys/fs/cgroup && cat memory/memory.limit_in_bytes pids/pids.max cpu/cpu.cfs_quota_us"]);

            run.ExitCode.Should().Be(0, run.ToString());
            run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal("67108864", "50", "50000");
        }
        finally { engine.Docker("rm", "-f", name); }
    }

    // The container's name and runtime, once the runtime is known to be installed (else the test skips).
    private static string[] For(string name, string runtime)
    {
        Runtimes.Binary(runtime);
        return ["--name", name, "--runtime", runtime];
    }
}
