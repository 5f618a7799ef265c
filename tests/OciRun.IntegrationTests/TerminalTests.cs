using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

/// <summary>
/// process.terminal: the pty made in the container, its master over --console-socket
/// (create) or attached to the caller's terminal (run in the foreground), runc's
/// checks of the flags, and a /dev/console the container planted that is not followed.
/// </summary>
public sealed class TerminalTests : ContainerTest
{
    // What the process sees of its terminal: its name, its size, whether /dev/console is the same
    // device, whether it is the controlling terminal (/dev/tty opens only then), then a line typed
    // into the master; and an exit status of its own.
    private const string Script =
        "tty; stty size; [ \"$(stat -L -c %t:%T /dev/console)\" = \"$(stat -L -c %t:%T $(tty))\" ] && echo console-is-the-pty; "
        + "(: </dev/tty) 2>/dev/null && echo controlling-terminal; echo ready; read line; echo got:$line; exit 7";

    private static readonly string? Runc =
        new[] { "/usr/local/sbin/runc", "/usr/local/bin/runc", "/usr/sbin/runc", "/usr/bin/runc", "/sbin/runc" }.FirstOrDefault(File.Exists);

    private Bundle TerminalBundle(string id, params string[] args)
    {
        var bundle = NewBundle(id, args.Length > 0 ? args : ["sh", "-c", Script]);
        bundle.Process["terminal"] = true;
        bundle.Process["consoleSize"] = new JsonObject { ["height"] = 33, ["width"] = 77 };
        return bundle.Write();
    }

    private static string BinaryOf(string runtime) => runtime == "runc" ? Runc! : Runtime.Binary;

    private string RootOf(string runtime) => runtime == "runc" ? Path.Combine(Work, "runc-root") : Runtime.Root;

    // `binary --root R args...` with stdio on a file (what create leaves the container would hold).
    private RunResult Invoke(string runtime, params string[] args)
    {
        var output = Path.Combine(Work, $"stdio-{Guid.NewGuid():N}");
        var quoted = string.Join(' ', args.Select(a => $"'{a}'"));
        var result = Runtime.Shell($"exec '{BinaryOf(runtime)}' --root '{RootOf(runtime)}' {quoted} </dev/null >'{output}' 2>&1");
        return result with { Stdout = File.ReadAllText(output) };
    }

    private void Cleanup(string runtime, string id)
    {
        if (runtime == "runc") Runtime.Shell($"'{Runc}' --root '{RootOf(runtime)}' delete --force {id}");
    }

    [RootTheory]
    [InlineData("oci-run")]
    [InlineData("runc")]
    public void Create_sends_the_master_to_the_console_socket_and_the_process_has_the_pty_as_its_terminal_and_dev_console(string runtime)
    {
        Skip.If(runtime == "runc" && Runc is null, "runc is not installed");
        var id = NewId();
        var bundle = TerminalBundle(id);
        using var receiver = new UnixFdReceiver(Work);
        try
        {
            var create = Invoke(runtime, "create", "--console-socket", receiver.Path, "--bundle", bundle.Dir, id);
            create.ExitCode.Should().Be(0, create.ToString());
            var (master, name) = receiver.Receive();
            using var pty = master ?? throw new InvalidOperationException("no fd came with the console socket's message");
            name.Should().Be("/dev/ptmx", "runc sends the master's file name with it, which shims read");
            pty.Number.Should().BeGreaterThanOrEqualTo(0, "the fd is a working pty master");

            Invoke(runtime, "start", id).ExitCode.Should().Be(0, "the master works after create and start");
            var before = pty.ReadUntil("ready");
            pty.Type("hello\n");
            var output = before + pty.ReadToEnd();

            var lines = output.Split("\r\n");
            lines.Should().ContainInOrder("/dev/pts/0", "33 77", "console-is-the-pty", "controlling-terminal", "ready", "got:hello");
        }
        finally
        {
            Cleanup(runtime, id);
        }
    }

    [RootFact]
    public void A_created_containers_pty_belongs_to_the_processs_user()
    {
        var id = NewId();
        var bundle = NewBundle(id, "sh", "-c", "stat -c %u $(tty); ls -l /dev/console");
        bundle.Process["terminal"] = true;
        bundle.Process["user"] = new JsonObject { ["uid"] = 1000, ["gid"] = 1000 };
        using var receiver = new UnixFdReceiver(Work);
        Invoke("oci-run", "create", "--console-socket", receiver.Path, "--bundle", bundle.Write().Dir, id).ExitCode.Should().Be(0);
        using var pty = receiver.Receive().Master!;
        Invoke("oci-run", "start", id).ExitCode.Should().Be(0);
        pty.ReadToEnd().Split("\r\n")[0].Should().Be("1000", "the process can reopen its own terminal, as with runc");
    }

    /// <summary>`run` in the foreground, driven through a terminal of its own (script's pty).</summary>
    [RootTheory]
    [InlineData("oci-run")]
    [InlineData("runc")]
    public void Run_in_the_foreground_attaches_the_pty_to_the_callers_terminal_restores_it_and_returns_the_status(string runtime)
    {
        Skip.If(runtime == "runc" && Runc is null, "runc is not installed");
        Skip.IfNot(File.Exists("/usr/bin/script"), "util-linux's script is not installed");
        var id = NewId();
        var bundle = TerminalBundle(id);
        try
        {
            var driver = Path.Combine(Work, "driver.sh");
            File.WriteAllText(driver, $"stty -g; '{BinaryOf(runtime)}' --root '{RootOf(runtime)}' run --bundle '{bundle.Dir}' {id}; echo status=$?; stty -g\n");
            var result = Runtime.Shell($"printf 'hello\\n' | script -qec 'sh {driver}' /dev/null");

            var lines = result.Stdout.Split("\r\n").Select(l => l.TrimEnd('\r', '\n')).ToList();
            lines.Should().ContainInOrder("/dev/pts/0", "console-is-the-pty", "controlling-terminal", "ready", "got:hello", "status=7");
            var settings = lines.Where(l => l.Count(c => c == ':') > 10).ToList(); // stty -g's one line
            settings.Should().HaveCount(2, result.ToString());
            settings[1].Should().Be(settings[0], "the caller's terminal is out of raw mode again");
        }
        finally
        {
            Cleanup(runtime, id);
        }
    }

    /// <summary>
    /// `run` on a terminal the test holds (a pty of its own): the container starts with the size of
    /// that terminal, follows it when it changes (SIGWINCH), gets what is typed on it, and leaves
    /// it as it found it.
    /// </summary>
    [RootFact]
    public void Run_in_the_foreground_follows_the_callers_window_size()
    {
        var id = NewId();
        var bundle = TerminalBundle(id, "sh", "-c",
            "stty size; echo ready; while [ \"$(stty size)\" != \"50 132\" ]; do sleep 0.1; done; echo resized; read line; echo got:$line; exit 5");
        using var terminal = PtyMaster.Open();
        terminal.Resize(40, 100);
        var settings = terminal.Settings();
        var slave = terminal.SlavePath;
        var info = new System.Diagnostics.ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"exec '{Runtime.Binary}' --root '{Runtime.Root}' run --bundle '{bundle.Dir}' {id} <>{slave} >&0 2>&0");
        using var run = System.Diagnostics.Process.Start(info)!;
        try
        {
            var start = terminal.ReadUntil("ready");
            start.Split("\r\n").Should().StartWith(["40 100"], "the caller's terminal size, not consoleSize, as runc does");

            terminal.Resize(50, 132);
            Runtime.Shell($"kill -WINCH {run.Id}").ExitCode.Should().Be(0); // what the terminal's driver sends its foreground job
            terminal.ReadUntil("resized");
            terminal.Type("hello\n");
            terminal.ReadToEnd().Should().Contain("got:hello");
            run.WaitForExit(TimeSpan.FromSeconds(30)).Should().BeTrue();
            run.ExitCode.Should().Be(5);
            terminal.Settings().Should().Equal(settings, "the terminal is out of raw mode again");
        }
        finally
        {
            if (!run.HasExited) run.Kill();
        }
    }

    [RootFact]
    public void Run_in_the_foreground_without_a_terminal_to_attach_fails_and_leaves_nothing()
    {
        var id = NewId();
        var bundle = TerminalBundle(id);
        var output = Path.Combine(Work, "run.out");
        // A new session has no controlling terminal: not even /dev/tty to attach to.
        var result = Runtime.Shell($"setsid -w '{Runtime.Binary}' --root '{Runtime.Root}' run --bundle '{bundle.Dir}' {id} </dev/null >'{output}' 2>&1");

        result.ExitCode.Should().Be(1);
        File.ReadAllText(output).Should().StartWith("oci-run: process.terminal: `run` attaches the container's terminal to its own, but stdin, stdout and stderr are not terminals");
        ShouldLeaveNothing(id);
    }

    public static TheoryData<string, bool, string[], string> BadInput => new()
    {
        { "create", true, [], "cannot allocate tty if runc will detach without setting console socket" },
        { "run", true, ["--detach"], "cannot allocate tty if runc will detach without setting console socket" },
        { "create", false, ["--console-socket", "SOCKET"], "cannot use console socket if runc will not detach or allocate tty" },
        { "run", true, ["--console-socket", "SOCKET"], "cannot use console socket if runc will not detach or allocate tty" },
        { "create", true, ["--console-socket", "FILE"], "--console-socket FILE: not a unix socket" },
        { "create", true, ["--console-socket", "MISSING"], "--console-socket MISSING: connect: No such file or directory" },
    };

    [RootTheory]
    [MemberData(nameof(BadInput))]
    public void Terminal_and_console_socket_mistakes_are_refused_in_runcs_words_and_leave_nothing(string verb, bool terminal, string[] flags, string error)
    {
        var id = NewId();
        var bundle = TerminalBundle(id);
        bundle.Process["terminal"] = terminal;
        bundle.Write();
        using var receiver = new UnixFdReceiver(Work);
        var file = Path.Combine(Work, "not-a-socket");
        File.WriteAllText(file, "");
        var missing = Path.Combine(Work, "missing.sock");
        string Fill(string s) => s.Replace("SOCKET", receiver.Path).Replace("FILE", file).Replace("MISSING", missing);

        var result = Invoke("oci-run", [verb, .. flags.Select(Fill), "--bundle", bundle.Dir, id]);

        result.ExitCode.Should().Be(1);
        result.Stdout.Should().Be($"oci-run: {Fill(error)}\n");
        ShouldLeaveNothing(id);
    }

    /// <summary>
    /// A /dev/console the image planted as a symlink (here the rootfs's own /dev, no tmpfs over it)
    /// is never followed: binding the pty there would put it over whatever it names.
    /// </summary>
    [RootTheory]
    [InlineData("/proc/sys/kernel/core_pattern")]
    [InlineData("/victim")]
    public void A_dev_console_symlink_in_the_rootfs_is_not_followed(string target)
    {
        var id = NewId();
        var bundle = TerminalBundle(id, "sh", "-c", "stat -c %t:%T /proc/sys/kernel/core_pattern /victim; cat /victim");
        var rootfs = Path.Combine(Work, "rootfs");
        Runtime.Shell($"cp -a '{(string)bundle.Config["root"]!["path"]!}' '{rootfs}'").ExitCode.Should().Be(0);
        bundle.Config["root"]!["path"] = rootfs;
        foreach (var m in bundle.Mounts.Where(m => (string?)m!["destination"] == "/dev").ToList()) bundle.Mounts.Remove(m);
        File.WriteAllText(Path.Combine(rootfs, "victim"), "untouched\n");
        File.CreateSymbolicLink(Path.Combine(rootfs, "dev", "console"), target);
        var corePattern = File.ReadAllText("/proc/sys/kernel/core_pattern");
        using var receiver = new UnixFdReceiver(Work);

        var result = Invoke("oci-run", "create", "--console-socket", receiver.Path, "--bundle", bundle.Write().Dir, id);

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stdout.Should().Be("oci-run: process.terminal: /dev/console in the container is a symlink or not a file; refusing to mount the console over it\n");
        ShouldLeaveNothing(id);
        File.ReadAllText(Path.Combine(rootfs, "victim")).Should().Be("untouched\n");
        File.ReadAllText("/proc/sys/kernel/core_pattern").Should().Be(corePattern);
        new FileInfo(Path.Combine(rootfs, "dev", "console")).LinkTarget.Should().Be(target, "the symlink is left as it was");
    }

    private void ShouldLeaveNothing(string id)
    {
        Directory.Exists(Path.Combine(Runtime.Root, id)).Should().BeFalse("a failed command leaves no state behind");
        CgroupDirs(id).Should().BeEmpty("a failed command leaves no cgroup behind");
    }
}
