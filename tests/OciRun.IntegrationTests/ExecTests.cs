using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

/// <summary>
/// `exec` as the engines and people use it: the process joins every namespace
/// and the cgroup of the container, gets its seccomp filter, capabilities and
/// no_new_privs, takes runc's flags, and its exit status comes back. Each check
/// runs with oci-run and, where it is installed, with runc, and both must agree.
/// </summary>
public sealed class ExecTests : ContainerTest
{
    private static readonly string? Runc =
        new[] { "/usr/local/sbin/runc", "/usr/sbin/runc", "/usr/bin/runc" }.FirstOrDefault(File.Exists);

    public static TheoryData<string> Runtimes => new() { "oci-run", "runc" };

    private sealed record Under(string Binary, string Root);

    private Under RuntimeNamed(string name)
    {
        if (name == "oci-run") return new Under(Runtime.Binary, Runtime.Root);
        Skip.If(Runc is null, "compares with runc, which is not installed");
        return new Under(Runc!, Path.Combine(Work, "runc-root"));
    }

    private static string Quoted(IEnumerable<string> args) => string.Join(' ', args.Select(a => "'" + a.Replace("'", "'\\''") + "'"));

    /// <summary>The runtime with its root; stdin from /dev/null unless `stdin` is a shell redirection or pipe source.</summary>
    private static RunResult Call(Under rt, string[] args, string stdin = "</dev/null") =>
        Runtime.Shell($"exec '{rt.Binary}' --root '{rt.Root}' {Quoted(args)} {stdin}");

    /// <summary>A detached container running `sleep`, whose stdio is a file; deleted by the returned handle.</summary>
    private IDisposable Started(Under rt, string id, Action<Bundle>? change = null, params string[] args)
    {
        var bundle = NewBundle(id, args.Length > 0 ? args : ["sleep", "1000"]);
        change?.Invoke(bundle);
        var output = Path.Combine(Work, $"stdio-{id}");
        var result = Runtime.Shell($"exec '{rt.Binary}' --root '{rt.Root}' run --detach --bundle '{bundle.Write().Dir}' '{id}' </dev/null >'{output}' 2>&1");
        var cleanup = new Cleanup(() =>
        {
            Call(rt, ["delete", "--force", id]);
            foreach (var dir in CgroupDirs(id)) try { Directory.Delete(dir); } catch (IOException) { }
        });
        if (result.ExitCode != 0)
        {
            cleanup.Dispose();
            throw new InvalidOperationException($"run --detach failed: {File.ReadAllText(output)}");
        }
        return cleanup;
    }

    private sealed class Cleanup(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    private int InitPid(Under rt, string id)
    {
        var state = Call(rt, ["state", id]);
        state.ExitCode.Should().Be(0, state.ToString());
        return (int)JsonNode.Parse(state.Stdout)!["pid"]!;
    }

    private static string Link(string path) => new FileInfo(path).LinkTarget ?? "";

    [RootTheory]
    [MemberData(nameof(Runtimes))]
    public void The_process_joins_every_namespace_of_the_container_and_its_exit_status_comes_back(string name)
    {
        var rt = RuntimeNamed(name);
        var id = NewId();
        using var container = Started(rt, id);
        var init = InitPid(rt, id);

        var result = Call(rt, ["exec", id, "sh", "-c", "for n in pid net ipc uts mnt cgroup; do readlink /proc/self/ns/$n; done; hostname; cat /proc/self/cgroup | head -1; exit 7"]);

        result.ExitCode.Should().Be(7, result.ToString());
        var expected = new[] { "pid", "net", "ipc", "uts", "mnt", "cgroup" }.Select(n => Link($"/proc/{init}/ns/{n}")).ToList();
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Take(6).Should().Equal(expected, "the process sees the namespaces of the container's init");
        lines[6].Should().Be("oci-run"); // the default spec's hostname (runc's spec says runc, but the bundle is oci-run's)
        lines[7].Should().EndWith(":/", "inside its cgroup namespace, the process is at the container's cgroup root");
    }

    /// <summary>A container with a user namespace: exec joins it first (the C stage, single-threaded) and runs as the mapped root.</summary>
    [RootTheory]
    [MemberData(nameof(Runtimes))]
    public void The_process_joins_the_containers_user_namespace(string name)
    {
        var rt = RuntimeNamed(name);
        var id = NewId();
        using var container = Started(rt, id, b =>
        {
            b.Linux["namespaces"]!.AsArray().Add(new JsonObject { ["type"] = "user" });
            b.Linux["uidMappings"] = new JsonArray(new JsonObject { ["containerID"] = 0, ["hostID"] = 100000, ["size"] = 65536 });
            b.Linux["gidMappings"] = new JsonArray(new JsonObject { ["containerID"] = 0, ["hostID"] = 100000, ["size"] = 65536 });
        });
        var init = InitPid(rt, id);
        var pidFile = Path.Combine(Work, $"userns-{name}.pid");

        var result = Call(rt, ["exec", id, "sh", "-c", "id -u; cat /proc/self/uid_map | tr -s ' '; readlink /proc/self/ns/user"]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Be($"0\n 0 100000 65536\n{Link($"/proc/{init}/ns/user")}\n");
        Call(rt, ["exec", "--detach", "--pid-file", pidFile, id, "sleep", "300"], "</dev/null >/dev/null 2>&1").ExitCode.Should().Be(0);
        var pid = int.Parse(File.ReadAllText(pidFile).Trim());
        File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:")).Split('\t')[1].Should().Be("100000", "on the host the process is the mapped uid");
    }

    [RootTheory]
    [MemberData(nameof(Runtimes))]
    public void A_detached_process_writes_its_pid_file_and_runs_in_the_containers_cgroup(string name)
    {
        var rt = RuntimeNamed(name);
        var id = NewId();
        using var container = Started(rt, id);
        var init = InitPid(rt, id);
        var pidFile = Path.Combine(Work, $"exec-{name}.pid");

        // Detached, the process keeps exec's stdio: not the test's pipes, or reading them would wait for it.
        var result = Call(rt, ["exec", "--detach", "--pid-file", pidFile, id, "sleep", "300"], "</dev/null >/dev/null 2>&1");

        result.ExitCode.Should().Be(0, result.ToString());
        var pid = int.Parse(File.ReadAllText(pidFile).Trim());
        // runc returns as its init is told to exec: the new program may be a moment away.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (File.ReadAllText($"/proc/{pid}/cmdline") != "sleep\0300\0" && DateTime.UtcNow < deadline) Thread.Sleep(10);
        File.ReadAllText($"/proc/{pid}/cmdline").Should().Be("sleep\0300\0");
        File.ReadAllText($"/proc/{pid}/cgroup").Should().Be(File.ReadAllText($"/proc/{init}/cgroup"));
        Link($"/proc/{pid}/root").Should().Be(Link($"/proc/{init}/root"));
        var ps = Call(rt, ["ps", "--format", "json", id]);
        JsonNode.Parse(ps.Stdout)!.AsArray().Select(p => (int)p!).Should().Contain([init, pid]);
    }

    [RootTheory]
    [MemberData(nameof(Runtimes))]
    public void The_process_gets_the_containers_seccomp_filter_capabilities_and_no_new_privs(string name)
    {
        var rt = RuntimeNamed(name);
        var id = NewId();
        using var container = Started(rt, id, b =>
        {
            var docker = JsonNode.Parse(File.ReadAllText(Path.Combine(Runtime.RepoRoot, "tests", "EngineConfigs", "docker-20.10-plain.json")))!;
            b.Linux["seccomp"] = docker["linux"]!["seccomp"]!.DeepClone();
            b.Process["noNewPrivileges"] = true;
        });
        var init = InitPid(rt, id);
        string Field(string status, string key) => status.Split('\n').First(l => l.StartsWith(key + ":")).Split('\t')[1];
        var initStatus = File.ReadAllText($"/proc/{init}/status");

        var result = Call(rt, ["exec", id, "cat", "/proc/self/status"]);

        result.ExitCode.Should().Be(0, result.ToString());
        Field(result.Stdout, "Seccomp").Should().Be("2");
        Field(result.Stdout, "NoNewPrivs").Should().Be("1");
        foreach (var set in new[] { "CapEff", "CapPrm", "CapBnd" })
            Field(result.Stdout, set).Should().Be(Field(initStatus, set), set);
        // The filter is Docker's: unshare is refused in the exec'd process as in the container.
        Call(rt, ["exec", id, "unshare", "-m", "true"]).ExitCode.Should().NotBe(0);
    }

    [RootTheory]
    [MemberData(nameof(Runtimes))]
    public void Flags_change_the_user_groups_environment_cwd_and_capabilities(string name)
    {
        var rt = RuntimeNamed(name);
        var id = NewId();
        using var container = Started(rt, id);

        var result = Call(rt, ["exec", "--user", "1000:100", "--additional-gids", "10", "--additional-gids", "20", "--env", "FOO=bar", "--env", "ZED=1",
            "--cwd", "/tmp", "--cap", "CAP_SYS_ADMIN", id, "sh", "-c", "id -u; id -g; id -G; echo $FOO $ZED; pwd; grep CapBnd /proc/self/status"]);

        result.ExitCode.Should().Be(0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("1000");
        lines[1].Should().Be("100");
        lines[2].Split(' ').Should().Contain(["10", "20"]);
        lines[3].Should().Be("bar 1");
        lines[4].Should().Be("/tmp");
        (Convert.ToUInt64(lines[5].Split('\t')[1], 16) & (1UL << 21)).Should().NotBe(0, "CAP_SYS_ADMIN was added to the bounding set");
    }

    [RootTheory]
    [MemberData(nameof(Runtimes))]
    public void A_process_file_is_the_whole_process(string name)
    {
        var rt = RuntimeNamed(name);
        var id = NewId();
        using var container = Started(rt, id);
        var file = Path.Combine(Work, $"process-{name}.json");
        File.WriteAllText(file, """
            {"args": ["sh", "-c", "echo $ONLY; pwd; id -u; exit 4"], "env": ["ONLY=this", "PATH=/bin"], "cwd": "/etc",
             "user": {"uid": 1000, "gid": 1000}}
            """);

        var result = Call(rt, ["exec", "--process", file, id]);

        result.ExitCode.Should().Be(4, result.ToString());
        result.Stdout.Should().Be("this\n/etc\n1000\n");
    }

    [RootTheory]
    [MemberData(nameof(Runtimes))]
    public void Stdin_and_preserved_fds_reach_the_process(string name)
    {
        var rt = RuntimeNamed(name);
        var id = NewId();
        using var container = Started(rt, id);
        var extra = Path.Combine(Work, $"fd3-{name}");

        var result = Call(rt, ["exec", "--preserve-fds", "1", id, "sh", "-c", "cat; echo to-fd3 >&3; ls /proc/self/fd | wc -l"], $"3>'{extra}' <<'EOF'\nfrom stdin\nEOF");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Be("from stdin\n5\n", "stdin went through, and the process has 0-3 plus the directory ls reads");
        File.ReadAllText(extra).Should().Be("to-fd3\n");
    }

    [RootFact]
    public void The_process_holds_nothing_of_the_host()
    {
        var rt = RuntimeNamed("oci-run");
        var id = NewId();
        using var container = Started(rt, id);
        var pidFile = Path.Combine(Work, "exec.pid");
        Call(rt, ["exec", "--detach", "--pid-file", pidFile, id, "sleep", "300"], "</dev/null >/dev/null 2>&1").ExitCode.Should().Be(0);
        var pid = int.Parse(File.ReadAllText(pidFile).Trim());

        // Every fd is the caller's stdio (here /dev/null): none leads into a host directory.
        Directory.GetFiles($"/proc/{pid}/fd").Select(Link).Should().Equal("/dev/null", "/dev/null", "/dev/null");
        Link($"/proc/{pid}/cwd").Should().Be(Link($"/proc/{pid}/root"), "the cwd is the container's /");
        File.ReadAllText($"/proc/{pid}/status").Should().NotContain("_OCIRUN");
        File.ReadAllText($"/proc/{pid}/environ").Should().NotContain("_OCIRUN", "the bootstrap's variables do not reach the process");
    }

    /// <summary>
    /// `--cgroup memory:sub` puts the process in an existing sub-cgroup of the
    /// container's memory cgroup and leaves it in the container's others; a PATH
    /// alone is every hierarchy's sub-cgroup.
    /// </summary>
    [RootTheory]
    [MemberData(nameof(Runtimes))]
    public void The_process_goes_to_the_sub_cgroup_asked_for(string name)
    {
        var rt = RuntimeNamed(name);
        var id = NewId();
        using var container = Started(rt, id);
        var init = InitPid(rt, id);
        var initLines = File.ReadAllLines($"/proc/{init}/cgroup");
        var memoryLine = initLines.FirstOrDefault(l => l.Split(':')[1].Split(',').Contains("memory"));
        Skip.If(memoryLine is null, "the host has no v1 memory hierarchy");
        var mounts = File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(" - "))
            .Where(p => p[1].StartsWith("cgroup")).Select(p => (Point: p[0].Split(' ')[4], Options: p[1].Split(' ')[2], V2: p[1].StartsWith("cgroup2"))).ToList();
        // Each line's host directory: the hierarchy's mount point (same controllers, or cgroup2 for "0::") and the line's path.
        string DirOf(string line)
        {
            var parts = line.Split(':', 3);
            var mount = parts[0] == "0" ? mounts.First(m => m.V2) : mounts.First(m => !m.V2 && parts[1].Split(',').All(c => m.Options.Split(',').Contains(c)));
            return mount.Point + parts[2];
        }
        var subs = initLines.Select(l => Path.Combine(DirOf(l), "sub")).ToList();
        foreach (var dir in subs)
        {
            Directory.CreateDirectory(dir);
            // A new v1 cpuset has no CPUs nor memory nodes, and takes no process until it has some.
            foreach (var file in new[] { "cpuset.cpus", "cpuset.mems" })
                if (File.Exists(Path.Combine(dir, file)))
                    File.WriteAllText(Path.Combine(dir, file), File.ReadAllText(Path.Combine(Path.GetDirectoryName(dir)!, file)).Trim());
        }
        try
        {
            var pidFile = Path.Combine(Work, $"sub-{name}.pid");
            Call(rt, ["exec", "--detach", "--pid-file", pidFile, "--cgroup", "memory:sub", id, "sleep", "300"], "</dev/null >/dev/null 2>&1").ExitCode.Should().Be(0);
            var lines = File.ReadAllLines($"/proc/{int.Parse(File.ReadAllText(pidFile).Trim())}/cgroup");
            lines.Should().HaveSameCount(initLines);
            for (var i = 0; i < lines.Length; i++)
                lines[i].Should().Be(initLines[i] == memoryLine ? memoryLine + "/sub" : initLines[i], "only the memory cgroup was asked for");

            var errors = Path.Combine(Work, $"sub-{name}.err");
            Call(rt, ["exec", "--detach", "--pid-file", pidFile, "--cgroup", "sub", id, "sleep", "300"], $"</dev/null >/dev/null 2>'{errors}'").ExitCode
                .Should().Be(0, File.ReadAllText(errors));
            File.ReadAllLines($"/proc/{int.Parse(File.ReadAllText(pidFile).Trim())}/cgroup").Should().Equal(initLines.Select(l => l + "/sub"), "a path alone is every hierarchy's");
        }
        finally
        {
            Call(rt, ["delete", "--force", id]);
            foreach (var dir in subs) try { Directory.Delete(dir); } catch (IOException) { }
        }
    }

    [RootFact]
    public void A_sub_cgroup_outside_the_container_or_missing_is_refused_and_nothing_runs()
    {
        var rt = RuntimeNamed("oci-run");
        var id = NewId();
        using var container = Started(rt, id);
        var marker = "/tmp/oci-run-sub-cgroup-marker-" + id;
        string[] Touch(params string[] flags) => ["exec", .. flags, id, "touch", marker];

        Call(rt, Touch("--cgroup", "../escape")).Stderr.Should().Contain("is not a cgroup below the container's");
        Call(rt, Touch("--cgroup", "no-such-sub")).Stderr.Should().Contain("has no cgroup \"no-such-sub\"");
        Call(rt, Touch("--cgroup", "nosuchcontroller:x")).Stderr.Should().Contain("no cgroup for the controller \"nosuchcontroller\"");
        Call(rt, Touch("--cgroup", "a", "--cgroup", "b")).Stderr.Should().Contain("needs a CONTROLLER: prefix");
        Call(rt, Touch("--cgroup", "a:b:c")).Stderr.Should().Contain("is not [CONTROLLER:]PATH");
        Call(rt, ["exec", id, "ls", marker]).ExitCode.Should().NotBe(0, "no refused exec ran its process");
    }

    /// <summary>
    /// cgroup v2: when something inside the container moved init below the container's cgroup
    /// (systemd in the container does: the container's cgroup then takes no process), the exec'd
    /// process goes where init is, as runc 1.1 falls back to.
    /// </summary>
    [RootFact]
    public void In_cgroup_v2_the_process_follows_init_into_a_sub_cgroup()
    {
        var rt = RuntimeNamed("oci-run");
        var id = NewId();
        using var container = Started(rt, id);
        var init = InitPid(rt, id);
        var unifiedLine = File.ReadAllLines($"/proc/{init}/cgroup").FirstOrDefault(l => l.StartsWith("0::"));
        var mount = File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(" - ")).FirstOrDefault(p => p[1].StartsWith("cgroup2 "))?[0].Split(' ')[4];
        Skip.If(unifiedLine is null || mount is null, "the host has no cgroup v2 tree");
        var inner = Path.Combine(mount + unifiedLine![3..], "init.scope");
        Directory.CreateDirectory(inner);
        try
        {
            File.WriteAllText(Path.Combine(inner, "cgroup.procs"), init.ToString());
            var pidFile = Path.Combine(Work, "inner.pid");
            Call(rt, ["exec", "--detach", "--pid-file", pidFile, id, "sleep", "300"], "</dev/null >/dev/null 2>&1").ExitCode.Should().Be(0);
            var pid = int.Parse(File.ReadAllText(pidFile).Trim());
            File.ReadAllLines($"/proc/{pid}/cgroup").First(l => l.StartsWith("0::")).Should().EndWith("/init.scope");
        }
        finally
        {
            Call(rt, ["delete", "--force", id]);
            try { Directory.Delete(inner); } catch (IOException) { }
        }
    }

    /// <summary>containerd's shim and conmon: `exec --detach --tty --console-socket S` (or a process file with terminal true) hands the pty's master over the socket.</summary>
    [RootTheory]
    [MemberData(nameof(Runtimes))]
    public void A_detached_terminal_goes_to_the_console_socket(string name)
    {
        var rt = RuntimeNamed(name);
        var id = NewId();
        using var container = Started(rt, id);
        using var receiver = new UnixFdReceiver(Work);
        var file = Path.Combine(Work, $"process-tty-{name}.json");
        File.WriteAllText(file, """
            {"terminal": true, "consoleSize": {"height": 33, "width": 77}, "args": ["sh", "-c", "tty; stty size; read line; echo got:$line; exit 3"],
             "env": ["PATH=/bin"], "cwd": "/", "user": {"uid": 1000, "gid": 1000}}
            """);

        var result = Call(rt, ["exec", "--process", file, "--detach", "--console-socket", receiver.Path, id], "</dev/null >/dev/null 2>&1");

        result.ExitCode.Should().Be(0, result.ToString());
        var (master, socketName) = receiver.Receive();
        using var pty = master ?? throw new InvalidOperationException("no fd came with the console socket's message");
        socketName.Should().Be("/dev/ptmx");
        var before = pty.ReadUntil("33 77");
        pty.Type("hello\n");
        var output = before + pty.ReadToEnd();
        output.Split("\r\n").Should().ContainInOrder("/dev/pts/0", "33 77", "got:hello");
    }

    /// <summary>`exec -t` in the foreground: the pty is attached to the caller's terminal (here script's) and the status comes back.</summary>
    [RootTheory]
    [MemberData(nameof(Runtimes))]
    public void Exec_with_a_tty_in_the_foreground_uses_the_callers_terminal(string name)
    {
        var rt = RuntimeNamed(name);
        Skip.IfNot(File.Exists("/usr/bin/script"), "util-linux's script is not installed");
        var id = NewId();
        using var container = Started(rt, id);
        var driver = Path.Combine(Work, $"driver-{name}.sh");
        File.WriteAllText(driver, $"stty -g; '{rt.Binary}' --root '{rt.Root}' exec -t {id} sh -c 'tty; read line; echo got:$line; exit 6'; echo status=$?; stty -g\n");

        var result = Runtime.Shell($"printf 'hi\\n' | script -qec 'sh {driver}' /dev/null");

        var lines = result.Stdout.Split("\r\n").Select(l => l.TrimEnd('\r', '\n').Trim('\0')).ToList();
        lines.Should().ContainInOrder("/dev/pts/0", "got:hi", "status=6");
        var settings = lines.Where(l => l.Count(c => c == ':') > 10).ToList();
        settings.Should().HaveCount(2, result.ToString());
        settings[1].Should().Be(settings[0], "the caller's terminal is out of raw mode again");
    }

    [RootFact]
    public void Terminal_flags_are_checked_as_runc_checks_them()
    {
        var rt = RuntimeNamed("oci-run");
        var id = NewId();
        using var container = Started(rt, id);
        var notSocket = Path.Combine(Work, "not-a-socket");
        File.WriteAllText(notSocket, "");

        Call(rt, ["exec", "-d", "-t", id, "true"]).Stderr.Should().Contain("cannot allocate tty if runc will detach without setting console socket");
        Call(rt, ["exec", "--console-socket", notSocket, id, "true"]).Stderr.Should().Contain("cannot use console socket if runc will not detach or allocate tty");
        var result = Call(rt, ["exec", "-d", "-t", "--console-socket", notSocket, id, "true"]);
        result.ExitCode.Should().Be(255);
        result.Stderr.Should().Contain($"--console-socket {notSocket}: not a unix socket");
        ((string)JsonNode.Parse(Call(rt, ["state", id]).Stdout)!["status"]!).Should().Be("running");
        Call(rt, ["ps", "--format", "json", id]).Stdout.Count(c => c == ',').Should().Be(0, "only init is left in the container");
    }

    [RootTheory]
    [MemberData(nameof(Runtimes))]
    public void Exec_into_a_stopped_or_unknown_container_fails_and_a_bad_process_leaves_the_container_running(string name)
    {
        var rt = RuntimeNamed(name);
        var id = NewId();
        using var container = Started(rt, id);

        var missing = Call(rt, ["exec", id, "no-such-program"]);
        missing.ExitCode.Should().Be(255, missing.ToString());
        missing.Stderr.Should().Contain("no-such-program").And.Contain("executable file not found in $PATH");
        Call(rt, ["exec", "no-such-container", "true"]).ExitCode.Should().Be(255);
        var notJson = Path.Combine(Work, "bad.json");
        File.WriteAllText(notJson, "{\"args\": [\"true\"");
        Call(rt, ["exec", "--process", notJson, id]).ExitCode.Should().Be(255);
        Call(rt, ["exec", "--user", "nobody", id, "true"]).ExitCode.Should().Be(255);
        Call(rt, ["exec", id]).ExitCode.Should().Be(255, "no command and no --process");

        ((string)JsonNode.Parse(Call(rt, ["state", id]).Stdout)!["status"]!).Should().Be("running");
        Call(rt, ["exec", id, "true"]).ExitCode.Should().Be(0, "the container still takes an exec");
        var stopped = NewId();
        using var done = Started(rt, stopped, null, "true");
        WaitUntilStopped(rt, stopped);
        var result = Call(rt, ["exec", stopped, "true"]);
        result.ExitCode.Should().Be(255);
        result.Stderr.Should().Contain("cannot exec in a stopped container");
    }

    [RootFact]
    public void Errors_name_what_is_wrong()
    {
        var rt = RuntimeNamed("oci-run");
        var id = NewId();
        using var container = Started(rt, id);
        var notJson = Path.Combine(Work, "bad.json");
        File.WriteAllText(notJson, "{\"args\": [\"true\"");

        Call(rt, ["exec", "--process", notJson, id]).Stderr.Should().Contain(notJson);
        Call(rt, ["exec", "--user", "nobody", id, "true"]).Stderr.Should().Contain("--user \"nobody\"");
        Call(rt, ["exec", id]).Stderr.Should().Contain("process args cannot be empty");
        Call(rt, ["exec", "--cwd", "relative", id, "true"]).Stderr.Should().Contain("process.cwd");
        Call(rt, ["exec", "--cap", "CAP_NOPE", id, "true"]).Stderr.Should().Contain("CAP_NOPE");
        var log = Path.Combine(Work, "log.json");
        Runtime.Shell($"exec '{rt.Binary}' --root '{rt.Root}' --log '{log}' --log-format json exec {id} no-such-program </dev/null");
        JsonNode.Parse(File.ReadAllLines(log).Last())!["msg"]!.ToString().Should().StartWith("exec failed: ").And.Contain("no-such-program");
    }

    [RootTheory]
    [MemberData(nameof(Runtimes))]
    public void A_paused_container_refuses_exec(string name)
    {
        var rt = RuntimeNamed(name);
        Skip.IfNot(HostCgroups.HasV1 ? HostCgroups.V1("freezer") is not null : true, "no freezer");
        var id = NewId();
        using var container = Started(rt, id);
        Call(rt, ["pause", id]).ExitCode.Should().Be(0);
        try
        {
            var result = Call(rt, ["exec", id, "true"]);
            result.ExitCode.Should().Be(255);
            result.Stderr.Should().Contain("cannot exec in a paused container");
        }
        finally
        {
            Call(rt, ["resume", id]);
        }
        Call(rt, ["exec", id, "true"]).ExitCode.Should().Be(0);
    }

    private void WaitUntilStopped(Under rt, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((string?)JsonNode.Parse(Call(rt, ["state", id]).Stdout)?["status"] != "stopped")
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{id} never stopped");
            Thread.Sleep(20);
        }
    }
}
