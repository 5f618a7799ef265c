using System.Text;
using Grpc.Core;
using OciRun.EngineTests.Cri;
using OciRun.EngineTests.Support;

namespace OciRun.EngineTests;

/// <summary>
/// containerd 1.6's CRI plugin, the kubelet's path: a private containerd whose
/// config has a runtime handler per runtime (the runc v2 shim with BinaryName
/// and Root), driven by a small CRI client. Pods use the host network (no CNI),
/// a relative cgroup parent of their own, and an imported "pause" image.
/// </summary>
public sealed class CriFixture : EngineFixture
{
    public Containerd Containerd { get; private set; } = null!;
    public CriClient Cri { get; private set; } = null!;

    /// <summary>Relative, so it nests under this process's cgroup and cannot meet another's.</summary>
    public string CgroupParent { get; } = "oe-cri-" + Guid.NewGuid().ToString("N")[..8];

    public CriFixture() : base("cri", "containerd", "ctr", "containerd-shim-runc-v2", "umoci") { }

    public string RuntimeRoot(string runtime) => Scratch.Path("rr-cri-" + Runtimes.Short(runtime));

    public string LogDir(string pod) => Scratch.MakeDir("logs", pod);

    protected override void Start()
    {
        Scratch.AddCgroupUnderOwn(CgroupParent);
        var handlers = new StringBuilder();
        foreach (var runtime in new[] { Runtimes.OciRun, Runtimes.Runc })
        {
            if (Runtimes.Installed(runtime) is not { } binary) continue;
            Scratch.AddRuntimeRoot(binary, Path.Combine(RuntimeRoot(runtime), "k8s.io"));
            handlers.Append($"""

                [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.{runtime}]
                  runtime_type = "io.containerd.runc.v2"
                [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.{runtime}.options]
                  BinaryName = "{binary}"
                  Root = "{RuntimeRoot(runtime)}"
                """);
        }
        var cri = $"""
            [plugins."io.containerd.grpc.v1.cri"]
              sandbox_image = "{BusyboxImage.CtrPauseImage}"
              restrict_oom_score_adj = true
              stream_server_address = "127.0.0.1"
              stream_server_port = "0"
            [plugins."io.containerd.grpc.v1.cri".containerd]
              snapshotter = "overlayfs"
            [plugins."io.containerd.grpc.v1.cri".cni]
              bin_dir = "{Scratch.MakeDir("cni", "bin")}"
              conf_dir = "{Scratch.MakeDir("cni", "conf")}"
            {handlers}
            """;
        Containerd = Containerd.Start(Scratch, cri);
        Cri = new CriClient(Containerd.Socket);
        Scratch.OnTeardown(RemovePods);
        Scratch.OnTeardown(() => Cri.Dispose());
        Containerd.Import("k8s.io", BusyboxImage.Shared.OciTar);
        var version = Cri.Runtime.Version(new VersionRequest { Version = "v1" }, deadline: CriClient.Deadline());
        if (version.RuntimeApiVersion != "v1") throw new InvalidOperationException($"CRI answers API {version.RuntimeApiVersion}, not v1");
    }

    // Pods the tests left: stop and remove through CRI (it removes their containers).
    private readonly List<string> pods = [];

    private void RemovePods()
    {
        foreach (var pod in pods)
        {
            try { Cri.Runtime.StopPodSandbox(new StopPodSandboxRequest { PodSandboxId = pod }, deadline: CriClient.Deadline()); } catch (RpcException) { }
            try { Cri.Runtime.RemovePodSandbox(new RemovePodSandboxRequest { PodSandboxId = pod }, deadline: CriClient.Deadline()); } catch (RpcException) { }
        }
    }

    private static NamespaceOption HostNetwork() => new() { Network = NamespaceMode.Node, Pid = NamespaceMode.Container, Ipc = NamespaceMode.Pod };

    public PodSandboxConfig PodConfig(string name) => new()
    {
        Metadata = new PodSandboxMetadata { Name = name, Uid = Guid.NewGuid().ToString(), Namespace = "default" },
        // No hostname: with the node's network the pod shares the host's UTS namespace.
        LogDirectory = LogDir(name),
        Linux = new LinuxPodSandboxConfig
        {
            CgroupParent = CgroupParent,
            SecurityContext = new LinuxSandboxSecurityContext { NamespaceOptions = HostNetwork() },
        },
    };

    /// <summary>Runs a pod with the runtime's handler; the teardown removes it if the test does not.</summary>
    public (string Id, PodSandboxConfig Config) RunPod(string runtime, string name)
    {
        Runtimes.Binary(runtime);
        var config = PodConfig(name);
        var id = Cri.Runtime.RunPodSandbox(new RunPodSandboxRequest { Config = config, RuntimeHandler = runtime }, deadline: CriClient.Deadline()).PodSandboxId;
        pods.Add(id);
        return (id, config);
    }

    /// <summary>Creates and starts a container in a pod, its stdout logged to LOGDIR/NAME.log.</summary>
    public string StartContainer(string pod, PodSandboxConfig podConfig, string name, params string[] command)
    {
        var id = CreateContainer(pod, podConfig, name, command);
        Cri.Runtime.StartContainer(new StartContainerRequest { ContainerId = id }, deadline: CriClient.Deadline());
        return id;
    }

    public string CreateContainer(string pod, PodSandboxConfig podConfig, string name, params string[] command)
    {
        var config = new ContainerConfig
        {
            Metadata = new ContainerMetadata { Name = name },
            Image = new ImageSpec { Image = BusyboxImage.CtrImage },
            LogPath = name + ".log",
            Linux = new LinuxContainerConfig { SecurityContext = new LinuxContainerSecurityContext { NamespaceOptions = HostNetwork() } },
        };
        config.Command.AddRange(command);
        return Cri.Runtime.CreateContainer(new CreateContainerRequest { PodSandboxId = pod, Config = config, SandboxConfig = podConfig }, deadline: CriClient.Deadline()).ContainerId;
    }

    public ContainerStatusResponse Status(string container, bool verbose = false) =>
        Cri.Runtime.ContainerStatus(new ContainerStatusRequest { ContainerId = container, Verbose = verbose }, deadline: CriClient.Deadline());

    public ContainerStatus WaitExited(string container)
    {
        WaitFor(() => Status(container).Status.State == ContainerState.ContainerExited, $"container {container} EXITED");
        return Status(container).Status;
    }

    /// <summary>For a test's finally: removes the pod if it can, leaving the test's own failure to be reported.</summary>
    public void RemovePodQuietly(string pod)
    {
        try { StopAndRemovePod(pod); }
        catch (RpcException) { /* the teardown tries again */ }
    }

    public void StopAndRemovePod(string pod)
    {
        Cri.Runtime.StopPodSandbox(new StopPodSandboxRequest { PodSandboxId = pod }, deadline: CriClient.Deadline());
        Cri.Runtime.RemovePodSandbox(new RemovePodSandboxRequest { PodSandboxId = pod }, deadline: CriClient.Deadline());
        pods.Remove(pod);
    }

    /// <summary>The containers the runtime itself lists in the handler's root (sandbox and containers).</summary>
    public string[] RuntimeList(string runtime) =>
        Command.Run(Runtimes.Binary(runtime), ["--root", Path.Combine(RuntimeRoot(runtime), "k8s.io"), "list", "-q"]).Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public sealed class CriTests(CriFixture engine) : IClassFixture<CriFixture>
{
    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void A_container_runs_to_its_exit_code_through_the_runtime_handler(string runtime)
    {
        engine.Require();
        var (pod, podConfig) = engine.RunPod(runtime, EngineFixture.NewId("pod", runtime));
        try
        {
            var container = engine.StartContainer(pod, podConfig, "main", "sh", "-c", "echo hello from busybox; exit 3");

            var status = engine.WaitExited(container);
            status.ExitCode.Should().Be(3, status.ToString());
            File.ReadAllText(Path.Combine(podConfig.LogDirectory, "main.log")).Should().Contain("stdout F hello from busybox");
            var verbose = engine.Status(container, verbose: true).Info["info"];
            verbose.Should().Contain($"\"binary_name\":\"{Runtimes.Binary(runtime)}\"", "the pod's handler chose the runtime");
        }
        finally { engine.RemovePodQuietly(pod); }
    }

    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void ExecSync_shows_output_and_exit_code(string runtime)
    {
        engine.Require();
        var (pod, podConfig) = engine.RunPod(runtime, EngineFixture.NewId("pod", runtime));
        try
        {
            var container = engine.StartContainer(pod, podConfig, "main", "sh", "-c", "trap 'exit 7' TERM; sleep 1000 & wait");
            engine.Status(container).Status.State.Should().Be(ContainerState.ContainerRunning);

            var exec = engine.Cri.Runtime.ExecSync(new ExecSyncRequest { ContainerId = container, Cmd = { "sh", "-c", "echo out; echo err >&2; exit 5" }, Timeout = 30 },
                deadline: CriClient.Deadline());

            exec.ExitCode.Should().Be(5, $"stdout: {exec.Stdout.ToStringUtf8()} stderr: {exec.Stderr.ToStringUtf8()}");
            exec.Stdout.ToStringUtf8().Should().Be("out\n");
            exec.Stderr.ToStringUtf8().Should().Be("err\n");
        }
        finally { engine.RemovePodQuietly(pod); }
    }

    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void StopContainer_then_stop_and_remove_the_pod_leave_nothing_in_the_runtime(string runtime)
    {
        engine.Require();
        var (pod, podConfig) = engine.RunPod(runtime, EngineFixture.NewId("pod", runtime));
        // No finally: the pod's removal is what is checked; a pod left by a failure goes with the fixture.
        var container = engine.StartContainer(pod, podConfig, "main", "sh", "-c", "trap 'exit 7' TERM; sleep 1000 & wait");
        engine.RuntimeList(runtime).Should().Contain([pod, container], "the sandbox and the container run under the handler's runtime");

        engine.Cri.Runtime.StopContainer(new StopContainerRequest { ContainerId = container, Timeout = 30 }, deadline: CriClient.Deadline());
        var status = engine.Status(container).Status;
        status.State.Should().Be(ContainerState.ContainerExited);
        status.ExitCode.Should().Be(7, "the container's trap ran on SIGTERM");

        engine.Cri.Runtime.RemoveContainer(new RemoveContainerRequest { ContainerId = container }, deadline: CriClient.Deadline());
        engine.StopAndRemovePod(pod);

        engine.RuntimeList(runtime).Should().NotContain(pod).And.NotContain(container);
    }

    // The shim deletes a created, never-started container with `delete` and no --force (runc allows it).
    [EngineTheory, MemberData(nameof(Runtimes.Both), MemberType = typeof(Runtimes))]
    public void A_container_created_and_never_started_is_removed(string runtime)
    {
        engine.Require();
        var (pod, podConfig) = engine.RunPod(runtime, EngineFixture.NewId("pod", runtime));
        try
        {
            var container = engine.CreateContainer(pod, podConfig, "main", "true");
            engine.Status(container).Status.State.Should().Be(ContainerState.ContainerCreated);

            engine.Cri.Runtime.RemoveContainer(new RemoveContainerRequest { ContainerId = container }, deadline: CriClient.Deadline());

            engine.RuntimeList(runtime).Should().NotContain(container);
            engine.RuntimeList(runtime).Should().Contain(pod, "the pod's sandbox still runs");
        }
        finally { engine.RemovePodQuietly(pod); }
    }
}
