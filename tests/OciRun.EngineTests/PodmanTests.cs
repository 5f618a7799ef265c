using OciRun.EngineTests.Support;

namespace OciRun.EngineTests;

/// <summary>
/// podman 4.3 (with conmon, no daemon) on its own root, runroot, tmpdir and a
/// containers.conf the test writes: file locks and events, cgroupfs, and one
/// runtime per name. podman passes its runtime no --root, so each name is a
/// wrapper adding a private one.
/// </summary>
public sealed class PodmanFixture : EngineFixture
{
    // The rlimits this host can set: podman's defaults (NOFILE 1048576, NPROC 4194304) fail with
    // any runtime where root lacks CAP_SYS_RESOURCE. No network: its default bridge would change the host's.
    public static readonly string[] RunFlags = ["--network", "none", "--ulimit", "nofile=20000:20000", "--ulimit", "nproc=32768:32768"];

    private Dictionary<string, string> env = null!;

    public PodmanFixture() : base("podman", "podman", "conmon") { }

    public string RuntimeRoot(string runtime) => Scratch.Path("rr-" + Runtimes.Short(runtime));

    protected override void Start()
    {
        var conf = Scratch.Path("containers.conf");
        var runtimes = new List<string>();
        foreach (var runtime in new[] { Runtimes.OciRun, Runtimes.Runc })
        {
            if (Runtimes.Installed(runtime) is not { } binary) continue;
            Scratch.AddRuntimeRoot(binary, RuntimeRoot(runtime));
            var wrapper = Scratch.Path(Runtimes.Short(runtime) + "-with-root");
            File.WriteAllText(wrapper, $"#!/bin/sh\nexec '{binary}' --root '{RuntimeRoot(runtime)}' \"$@\"\n");
            File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            runtimes.Add($"{runtime} = [\"{wrapper}\"]");
        }
        File.WriteAllText(conf, $"""
            [engine]
            cgroup_manager = "cgroupfs"
            events_logger = "file"
            lock_type = "file"
            conmon_env_vars = ["{BusyboxImage.PathEnv}", "CONTAINERS_CONF={conf}"]
            runtime_supports_json = ["crun", "runc", "{Runtimes.OciRun}"]
            [engine.runtimes]
            {string.Join('\n', runtimes)}
            """);
        env = new Dictionary<string, string> { ["CONTAINERS_CONF"] = conf };
        Scratch.OnTeardown(() => Podman("rm", "-af", "-t", "0"));
        var imported = Podman("import", BusyboxImage.Shared.RootfsTar, "busybox");
        if (imported.ExitCode != 0) throw new InvalidOperationException($"podman import failed: {imported}");
    }

    public CommandResult Podman(params string[] args) => Command.Run("podman", [.. Globals, .. args], env, timeoutSeconds: 120);

    /// <summary>The podman line for `script` (a pty for `-t`), quoted for sh.</summary>
    public string PodmanShellLine(params string[] args) =>
        $"CONTAINERS_CONF={Command.Quote(env["CONTAINERS_CONF"])} " + string.Join(' ', new[] { "podman" }.Concat(Globals).Concat(args).Select(Command.Quote));

    // Everything podman keeps goes under the scratch dir.
    private string[] Globals =>
        ["--root", Scratch.Path("root"), "--runroot", Scratch.Path("runroot"), "--tmpdir", Scratch.Path("tmp"),
         "--storage-driver", "overlay", "--cgroup-manager", "cgroupfs", "--events-backend", "file",
         "--network-config-dir", Scratch.MakeDir("net"), "--volumepath", Scratch.Path("vol")];

    public string State(string name) => Podman("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name).Stdout.Trim();
}

public sealed class PodmanTests(PodmanFixture engine) : IClassFixture<PodmanFixture>
{
    private static readonly string[] Waiter = ["sh", "-c", "trap 'exit 7' TERM; sleep 1000 & wait"];

    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void Run_rm_shows_the_output_and_the_exit_status(string runtime)
    {
        engine.Require();
        var name = EngineFixture.NewId("run", runtime);
        try
        {
            var run = engine.Podman(["run", "--rm", .. For(name, runtime), "busybox", "sh", "-c", "echo hello from busybox; exit 3"]);

            run.ExitCode.Should().Be(3, run.ToString());
            run.Stdout.Should().Contain("hello from busybox");
        }
        finally { engine.Podman("rm", "-f", "-t", "0", name); }
    }

    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void Exec_in_a_detached_container_shows_its_output_and_exit_status(string runtime)
    {
        engine.Require();
        var name = EngineFixture.NewId("exec", runtime);
        try
        {
            var run = engine.Podman(["run", "-d", .. For(name, runtime), "busybox", .. Waiter]);
            run.ExitCode.Should().Be(0, run.ToString());

            var exec = engine.Podman("exec", name, "sh", "-c", "echo exec in $(cat /proc/1/comm); exit 4");

            exec.ExitCode.Should().Be(4, exec.ToString());
            exec.Stdout.Should().Contain("exec in sh");
        }
        finally { engine.Podman("rm", "-f", "-t", "0", name); }
    }

    // conmon hands the runtime a console socket; `script` gives podman the terminal -t needs.
    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void Run_with_a_tty_runs_on_a_pty(string runtime)
    {
        engine.Require();
        var name = EngineFixture.NewId("tty", runtime);
        try
        {
            var run = Command.Shell($"script -qec {Command.Quote(engine.PodmanShellLine(["run", "--rm", "-t", .. For(name, runtime), "busybox", "sh", "-c", "tty; exit 6"]))} /dev/null");
            var output = run.Stdout.Replace("\r", "").Replace("\0", "");

            output.Should().MatchRegex(@"/dev/pts/\d+", run.ToString());
            run.ExitCode.Should().Be(6, run.ToString());
        }
        finally { engine.Podman("rm", "-f", "-t", "0", name); }
    }

    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void Stop_sends_sigterm_and_the_exit_status_shows(string runtime)
    {
        engine.Require();
        var name = EngineFixture.NewId("stop", runtime);
        try
        {
            var run = engine.Podman(["run", "-d", .. For(name, runtime), "busybox", .. Waiter]);
            run.ExitCode.Should().Be(0, run.ToString());

            var stop = engine.Podman("stop", name);

            stop.ExitCode.Should().Be(0, stop.ToString());
            engine.State(name).Should().Be("exited 7", "the container's trap ran on SIGTERM");
        }
        finally { engine.Podman("rm", "-f", "-t", "0", name); }
    }

    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void Pause_and_unpause_show_in_its_state(string runtime)
    {
        engine.Require();
        var name = EngineFixture.NewId("pause", runtime);
        try
        {
            var run = engine.Podman(["run", "-d", .. For(name, runtime), "busybox", .. Waiter]);
            run.ExitCode.Should().Be(0, run.ToString());

            var pause = engine.Podman("pause", name);
            pause.ExitCode.Should().Be(0, pause.ToString());
            engine.State(name).Should().Be("paused 0");
            var unpause = engine.Podman("unpause", name);
            unpause.ExitCode.Should().Be(0, unpause.ToString());
            engine.State(name).Should().Be("running 0");
        }
        finally { engine.Podman("rm", "-f", "-t", "0", name); }
    }

    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void Kill_with_a_signal_reaches_the_container(string runtime)
    {
        engine.Require();
        var name = EngineFixture.NewId("sig", runtime);
        try
        {
            var run = engine.Podman(["run", "-d", .. For(name, runtime), "busybox", "sh", "-c", "trap 'exit 9' USR1; sleep 1000 & wait"]);
            run.ExitCode.Should().Be(0, run.ToString());

            var kill = engine.Podman("kill", "--signal", "USR1", name);

            kill.ExitCode.Should().Be(0, kill.ToString());
            engine.Podman("wait", name).Stdout.Trim().Should().Be("9", "the container's USR1 trap ran");
        }
        finally { engine.Podman("rm", "-f", "-t", "0", name); }
    }

    // podman's --read-only mounts tmpfs on /tmp, /var/tmp and /run with the "tmpcopyup" option
    // (the tmpfs starts with what the image had there), and so does its --tmpfs.
    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void Read_only_keeps_the_rootfs_read_only_with_writable_tmpfs_dirs(string runtime)
    {
        engine.Require();
        var name = EngineFixture.NewId("ro", runtime);
        try
        {
            var run = engine.Podman(["run", "--rm", "--read-only", .. For(name, runtime), "busybox", "sh", "-c",
                "touch /x 2>/dev/null && echo rootfs writable; touch /tmp/y && echo tmp writable; grep -c ' /tmp tmpfs ' /proc/mounts"]);

            run.ExitCode.Should().Be(0, run.ToString());
            run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal("tmp writable", "1");
        }
        finally { engine.Podman("rm", "-f", "-t", "0", name); }
    }

    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void Rm_force_removes_a_running_container_from_podman_and_the_runtime(string runtime)
    {
        engine.Require();
        var name = EngineFixture.NewId("rm", runtime);
        try
        {
            var run = engine.Podman(["run", "-d", .. For(name, runtime), "busybox", .. Waiter]);
            run.ExitCode.Should().Be(0, run.ToString());
            var id = run.Stdout.Trim();

            var rm = engine.Podman("rm", "-f", "-t", "0", name);

            rm.ExitCode.Should().Be(0, rm.ToString());
            engine.Podman("ps", "-a", "--format", "{{.Names}}").Stdout.Should().NotContain(name);
            Command.Run(Runtimes.Binary(runtime), ["--root", engine.RuntimeRoot(runtime), "list", "-q"]).Stdout.Should().NotContain(id, "the runtime's state is deleted");
        }
        finally { engine.Podman("rm", "-f", "-t", "0", name); }
    }

    // The container's name and runtime, once the runtime is known to be installed (else the test skips).
    private static string[] For(string name, string runtime)
    {
        Runtimes.Binary(runtime);
        return ["--name", name, "--runtime", runtime, .. PodmanFixture.RunFlags];
    }
}
