using OciRun.EngineTests.Support;

namespace OciRun.EngineTests;

/// <summary>containerd 1.6 started privately, driven with `ctr`; its runc v2 shim is given the runtime with --runc-binary and --runc-root.</summary>
public sealed class CtrFixture : EngineFixture
{
    public static readonly string[] Namespaces = ["default", "k8s.io", "moby"];

    public Containerd Containerd { get; private set; } = null!;

    public CtrFixture() : base("ctr", "containerd", "ctr", "containerd-shim-runc-v2", "umoci") { }

    protected override void Start()
    {
        foreach (var runtime in new[] { Runtimes.OciRun, Runtimes.Runc })
            if (Runtimes.Installed(runtime) is { } binary)
                foreach (var ns in Namespaces) Scratch.AddRuntimeRoot(binary, Path.Combine(RuntimeRoot(runtime), ns));
        Containerd = Containerd.Start(Scratch);
        Scratch.OnTeardown(() => { foreach (var ns in Namespaces) Containerd.RemoveAll(ns); });
        foreach (var ns in Namespaces) Containerd.Import(ns, BusyboxImage.Shared.OciTar);
    }

    /// <summary>The --runc-root; the shim appends the namespace.</summary>
    public string RuntimeRoot(string runtime) => Scratch.Path("rr-" + Runtimes.Short(runtime));

    /// <summary>`ctr run` with the runtime: its binary and a private root for the shim.</summary>
    public CommandResult Run(string runtime, string ns, params string[] args) =>
        Containerd.Ctr(ns, ["run", "--runc-binary", Runtimes.Binary(runtime), "--runc-root", RuntimeRoot(runtime), "--fifo-dir", FifoDir, .. args]);

    /// <summary>Where ctr makes its IO fifos (else /run/containerd/fifo).</summary>
    public string FifoDir => Scratch.Path("fifo");

    /// <summary>The STATUS column of `ctr task ls` for a task (RUNNING, PAUSED, STOPPED), or null if not listed.</summary>
    public string? TaskStatus(string ns, string id) =>
        Containerd.Ctr(ns, "tasks", "ls").Stdout.Split('\n')
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .FirstOrDefault(f => f.Length >= 3 && f[0] == id)?[2];

    /// <summary>Removes a test's container whatever state it was left in.</summary>
    public void Remove(string ns, string id)
    {
        Containerd.Ctr(ns, "tasks", "delete", "--force", id);
        Containerd.Ctr(ns, "containers", "delete", id);
    }
}

public sealed class CtrTests(CtrFixture engine) : IClassFixture<CtrFixture>
{
    private const string Image = BusyboxImage.CtrImage;

    // Runs until SIGTERM, then exits 7: a kill the test can tell from a crash.
    private static readonly string[] Waiter = ["sh", "-c", "trap 'exit 7' TERM; sleep 1000 & wait"];

    public static TheoryData<string, string> RuntimesAndNamespaces()
    {
        var data = new TheoryData<string, string>();
        foreach (var runtime in new[] { Runtimes.OciRun, Runtimes.Runc })
            foreach (var ns in CtrFixture.Namespaces) data.Add(runtime, ns);
        return data;
    }

    [EngineTheory, MemberData(nameof(RuntimesAndNamespaces))]
    public void Run_rm_shows_the_output_and_the_exit_status(string runtime, string ns)
    {
        engine.Require();
        var id = EngineFixture.NewId("run", runtime);
        try
        {
            var run = engine.Run(runtime, ns, "--rm", Image, id, "sh", "-c", "echo hello from busybox; exit 3");

            run.ExitCode.Should().Be(3, run.ToString());
            run.Stdout.Should().Contain("hello from busybox");
            engine.Containerd.Ctr(ns, "containers", "ls", "-q").Stdout.Should().NotContain(id, "--rm removes the container");
        }
        finally { engine.Remove(ns, id); }
    }

    [EngineTheory, MemberData(nameof(RuntimesAndNamespaces))]
    public void Exec_in_a_detached_task_shows_its_output_and_exit_status(string runtime, string ns)
    {
        engine.Require();
        var id = EngineFixture.NewId("exec", runtime);
        try
        {
            var run = engine.Run(runtime, ns, ["-d", Image, id, .. Waiter]);
            run.ExitCode.Should().Be(0, run.ToString());

            var exec = engine.Containerd.Ctr(ns, "tasks", "exec", "--fifo-dir", engine.FifoDir, "--exec-id", "x1", id, "sh", "-c", "echo exec in $(cat /proc/1/comm); exit 4");

            exec.ExitCode.Should().Be(4, exec.ToString());
            exec.Stdout.Should().Contain("exec in sh", "the exec joins the task's pid namespace, whose pid 1 is the task's sh");
        }
        finally { engine.Remove(ns, id); }
    }

    // ctr hands the runtime a console socket and copies the pty; `script` gives ctr the terminal -t needs.
    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void Run_with_a_tty_runs_on_a_pty(string runtime)
    {
        engine.Require();
        const string ns = "default";
        var id = EngineFixture.NewId("tty", runtime);
        try
        {
            var line = string.Join(' ', new[] { "ctr", "-a", engine.Containerd.Socket, "-n", ns, "run", "--runc-binary", Runtimes.Binary(runtime),
                "--runc-root", engine.RuntimeRoot(runtime), "--fifo-dir", engine.FifoDir, "--rm", "-t", Image, id, "sh", "-c", "tty; exit 6" }.Select(Command.Quote));
            var run = Command.Shell($"script -qec {Command.Quote(line)} /dev/null");
            var output = run.Stdout.Replace("\r", "").Replace("\0", "");

            output.Should().MatchRegex(@"/dev/pts/\d+", run.ToString());
            run.ExitCode.Should().Be(6, run.ToString());
        }
        finally { engine.Remove(ns, id); }
    }

    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void Kill_stops_the_task_and_delete_reports_its_exit_status(string runtime)
    {
        engine.Require();
        const string ns = "default";
        var id = EngineFixture.NewId("kill", runtime);
        try
        {
            var run = engine.Run(runtime, ns, ["-d", Image, id, .. Waiter]);
            run.ExitCode.Should().Be(0, run.ToString());
            engine.TaskStatus(ns, id).Should().Be("RUNNING");

            var kill = engine.Containerd.Ctr(ns, "tasks", "kill", id);
            kill.ExitCode.Should().Be(0, kill.ToString());
            EngineFixture.WaitFor(() => engine.TaskStatus(ns, id) == "STOPPED", "task STOPPED after SIGTERM");

            var delete = engine.Containerd.Ctr(ns, "tasks", "delete", id);
            delete.ExitCode.Should().Be(0, delete.ToString());
            delete.Output.Should().Contain("exit code 7", "the task's trap ran on SIGTERM");
            engine.TaskStatus(ns, id).Should().BeNull("the task is deleted");
            Command.Run(Runtimes.Binary(runtime), ["--root", Path.Combine(engine.RuntimeRoot(runtime), ns), "list", "-q"])
                .Stdout.Should().NotContain(id, "the runtime deleted its state");
        }
        finally { engine.Remove(ns, id); }
    }

    // `ctr task ps` asks the runtime (`ps --format json`) for the task's pids.
    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void Task_ps_lists_the_task_processes(string runtime)
    {
        engine.Require();
        const string ns = "default";
        var id = EngineFixture.NewId("ps", runtime);
        try
        {
            var run = engine.Run(runtime, ns, ["-d", Image, id, .. Waiter]);
            run.ExitCode.Should().Be(0, run.ToString());
            var initPid = engine.Containerd.Ctr(ns, "tasks", "ls").Stdout.Split('\n')
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).First(f => f.Length >= 3 && f[0] == id)[1];

            var ps = engine.Containerd.Ctr(ns, "tasks", "ps", id);

            ps.ExitCode.Should().Be(0, ps.ToString());
            var pids = ps.Stdout.Split('\n').Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()).OfType<string>().ToList();
            pids.Should().Contain(initPid, "the task's init is listed").And.HaveCountGreaterThanOrEqualTo(2, "its sleep too");
        }
        finally { engine.Remove(ns, id); }
    }

    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void Pause_and_resume_show_in_task_ls(string runtime)
    {
        engine.Require();
        const string ns = "default";
        var id = EngineFixture.NewId("pause", runtime);
        try
        {
            var run = engine.Run(runtime, ns, ["-d", Image, id, .. Waiter]);
            run.ExitCode.Should().Be(0, run.ToString());

            var pause = engine.Containerd.Ctr(ns, "tasks", "pause", id);
            pause.ExitCode.Should().Be(0, pause.ToString());
            engine.TaskStatus(ns, id).Should().Be("PAUSED");

            var resume = engine.Containerd.Ctr(ns, "tasks", "resume", id);
            resume.ExitCode.Should().Be(0, resume.ToString());
            engine.TaskStatus(ns, id).Should().Be("RUNNING");
        }
        finally { engine.Remove(ns, id); }
    }

    // A relative working directory: the OCI spec requires process.cwd to be absolute, containerd passes it on.
    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void A_config_the_runtime_refuses_shows_its_error_in_ctr_output(string runtime)
    {
        engine.Require();
        const string ns = "default";
        var id = EngineFixture.NewId("bad", runtime);
        try
        {
            var run = engine.Run(runtime, ns, "--rm", "--cwd", "relative/dir", Image, id, "true");

            run.ExitCode.Should().NotBe(0, run.ToString());
            run.Output.Should().Contain("OCI runtime create failed").And.ContainEquivalentOf("cwd", "the runtime's own message reaches ctr");
            engine.TaskStatus(ns, id).Should().BeNull("no task is left");
        }
        finally { engine.Remove(ns, id); }
    }
}
