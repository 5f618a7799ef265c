using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

/// <summary>
/// linux.seccomp seen from inside the container: the filter is there once, a
/// refused syscall fails with the configured errno or signal, conditions on
/// arguments act only when they hold, Docker's and podman's profiles run
/// busybox and refuse what they refuse, a syscall newer than the profile gets
/// ENOSYS; the filter is loaded at the right point of init; a bad profile
/// leaves nothing behind. Where runc is installed, the same bundle runs under
/// runc and must print the same. A probe (Support/syscall.c, built static)
/// makes exact syscalls (x86_64 numbers); it is mounted read-only at /data.
/// </summary>
public sealed class SeccompTests : ContainerTest
{
    private const int EPERM = 1, EACCES = 13, ENOSYS = 38, SigsysExit = 128 + 31;

    // x86_64 syscall numbers.
    private const int Mkdir = 83, Socket = 41, Personality = 135, Setresuid = 117, Kexec_load = 246, Clone3 = 435, Fchmodat2 = 452;

    private const string Probe = "/data/syscall";

    private static readonly Lazy<string> ProbeDir = new(() => Path.GetDirectoryName(Helper("syscall", "syscall.c", "-static -pthread"))!);

    private static readonly Lazy<string> HelperDir = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), $"ocirun-test-seccomp-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(dir, true); } catch (IOException) { } };
        return dir;
    });

    /// <summary>A helper program of Support/, built with gcc once per run.</summary>
    private static string Helper(string name, string source, string flags)
    {
        var binary = Path.Combine(HelperDir.Value, name);
        lock (HelperDir)
        {
            if (File.Exists(binary)) return binary;
            var path = Path.Combine(Runtime.RepoRoot, "tests", "OciRun.IntegrationTests", "Support", source);
            var built = Runtime.Shell($"gcc -std=gnu11 -O2 -Wall -Wextra -Werror {flags} '{path}' -o '{binary}'");
            if (built.ExitCode != 0) throw new InvalidOperationException($"building {source} failed: {built}");
        }
        return binary;
    }

    private static readonly string? Runc =
        new[] { "/usr/local/sbin/runc", "/usr/sbin/runc", "/usr/bin/runc" }.FirstOrDefault(File.Exists);

    // ---- the filter is there ----

    [RootFact]
    public void The_process_runs_under_one_filter()
    {
        var id = NewId();
        var bundle = WithProfile(NewBundle(id, "sh", "-c", "grep Seccomp /proc/self/status"), Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "mkdir")));
        RunBoth(bundle, id).Stdout.Should().Be("Seccomp:\t2\nSeccomp_filters:\t1\n");
    }

    [RootFact]
    public void Every_thread_of_init_gets_the_filter_before_it_reports_ready()
    {
        // Without no_new_privs the filter is loaded before ready, while the .NET runtime's threads
        // are alive: with TSYNC each of them has it while init waits for start.
        var id = NewId();
        var bundle = WithProfile(NewBundle(id, "true"), Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "mkdir")));
        bundle.Process["noNewPrivileges"] = false;
        CreateOk(bundle, id);
        var pid = (int)State(id)["pid"]!;
        var threads = Directory.GetDirectories($"/proc/{pid}/task");
        threads.Length.Should().BeGreaterThan(1, "init is a .NET process: it has runtime threads");
        foreach (var task in threads)
            File.ReadAllLines(Path.Combine(task, "status")).Should().Contain("Seccomp:\t2", $"thread {Path.GetFileName(task)} runs under the filter");
    }

    // ---- actions ----

    [RootFact]
    public void A_refused_syscall_fails_with_the_configured_errno()
    {
        var id = NewId();
        var profile = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "mkdir", errno: EPERM), Rule("SCMP_ACT_ERRNO", "rmdir", errno: EACCES));
        var bundle = WithProbe(WithProfile(NewBundle(id, "sh", "-c", "mkdir /dev/shm/x; rmdir /dev/shm; mkdir /dev/shm/x 2>/dev/null; echo $?"), profile));
        var result = RunBoth(bundle, id);
        result.Stderr.Should().Contain("mkdir: can't create directory '/dev/shm/x': Operation not permitted")
            .And.Contain("rmdir: '/dev/shm': Permission denied");
        result.Stdout.Should().Be("1\n");
    }

    [RootFact]
    public void Errno_without_errnoRet_is_eperm_and_the_default_errno_applies_to_the_rest()
    {
        var id = NewId();
        var profile = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "mkdir"));
        var bundle = WithProbe(WithProfile(NewBundle(id, "sh", "-c", $"{Probe} {Mkdir} /dev/shm/x"), profile));
        RunBoth(bundle, id).Stdout.Should().Be($"errno {EPERM}\n");
    }

    [RootFact]
    public void Kill_ends_the_process_with_sigsys()
    {
        foreach (var action in new[] { "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD" })
        {
            var id = NewId();
            var bundle = WithProfile(NewBundle(id, "mkdir", "/dev/shm/x"), Profile("SCMP_ACT_ALLOW", Rule(action, "mkdir")));
            RunBoth(bundle, id, exitCode: SigsysExit);
        }
    }

    [RootFact]
    public void Kill_thread_ends_only_the_thread_kill_process_the_whole_process()
    {
        var id = NewId();
        var thread = WithProbe(WithProfile(NewBundle(id, Probe, "thread", $"{Mkdir}", "/dev/shm/x"), Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_KILL_THREAD", "mkdir"))));
        RunBoth(thread, id).Stdout.Should().Be("process alive\n");

        var id2 = NewId();
        var process = WithProbe(WithProfile(NewBundle(id2, Probe, "thread", $"{Mkdir}", "/dev/shm/x"), Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_KILL_PROCESS", "mkdir"))));
        RunBoth(process, id2, exitCode: SigsysExit).Stdout.Should().BeEmpty();
    }

    [RootFact]
    public void Trap_sends_sigsys_which_the_process_may_handle()
    {
        var id = NewId();
        var bundle = WithProbe(WithProfile(NewBundle(id, Probe, "trap", $"{Mkdir}", "/dev/shm/x"), Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_TRAP", "mkdir"))));
        RunBoth(bundle, id).Stdout.Should().Be($"SIGSYS {Mkdir}\n");

        var id2 = NewId();
        var unhandled = WithProfile(NewBundle(id2, "mkdir", "/dev/shm/x"), Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_TRAP", "mkdir")));
        RunBoth(unhandled, id2, exitCode: SigsysExit);
    }

    [RootFact]
    public void Log_and_allow_let_the_syscall_through()
    {
        var id = NewId();
        var profile = Profile("SCMP_ACT_ERRNO", Rule("SCMP_ACT_ALLOW", AllowedForBusybox), Rule("SCMP_ACT_LOG", "mkdir"));
        var bundle = WithProfile(NewBundle(id, "sh", "-c", "mkdir /dev/shm/x && echo made; rmdir /dev/shm 2>&1 || true"), profile);
        RunBoth(bundle, id).Stdout.Should().Be("made\nrmdir: '/dev/shm': Operation not permitted\n", "rmdir is in no rule: the default refuses it");
    }

    // ---- argument conditions ----

    [RootFact]
    public void A_condition_on_an_argument_acts_only_when_it_holds()
    {
        // personality(8) refused, personality(0xffffffff) (a query) let through.
        var id = NewId();
        var profile = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "personality", errno: EACCES, args: [Arg(0, "SCMP_CMP_EQ", 8)]));
        var bundle = WithProbe(WithProfile(NewBundle(id, "sh", "-c", $"{Probe} {Personality} 8; {Probe} {Personality} 0xffffffff"), profile));
        RunBoth(bundle, id).Stdout.Should().Be($"errno {EACCES}\nok 0\n");
    }

    [RootFact]
    public void Conditions_on_two_arguments_must_all_hold()
    {
        // socket(AF_INET, SOCK_STREAM) refused; AF_INET datagrams and AF_UNIX streams are not.
        var id = NewId();
        var profile = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "socket", errno: EACCES, args: [Arg(0, "SCMP_CMP_EQ", 2), Arg(1, "SCMP_CMP_EQ", 1)]));
        var bundle = WithProbe(WithProfile(NewBundle(id, "sh", "-c", $"{Probe} {Socket} 2 1 0; {Probe} {Socket} 2 2 0 >/dev/null && echo dgram; {Probe} {Socket} 1 1 0 >/dev/null && echo unix"), profile));
        RunBoth(bundle, id).Stdout.Should().Be($"errno {EACCES}\ndgram\nunix\n");
    }

    [RootFact]
    public void Masked_and_ordered_operators_compare_as_libseccomp_does()
    {
        // socket refused when the domain is above AF_INET6 (GT) and the type has SOCK_CLOEXEC (MASKED_EQ).
        var id = NewId();
        var profile = Profile("SCMP_ACT_ALLOW",
            Rule("SCMP_ACT_ERRNO", "socket", errno: EACCES, args: [Arg(0, "SCMP_CMP_GT", 10), Arg(1, "SCMP_CMP_MASKED_EQ", 0x80000, 0x80000)]));
        var bundle = WithProbe(WithProfile(NewBundle(id, "sh", "-c",
            $"{Probe} {Socket} 16 0x80003 0; {Probe} {Socket} 16 3 0 >/dev/null && echo no-cloexec; {Probe} {Socket} 1 0x80001 0 >/dev/null && echo unix"), profile));
        RunBoth(bundle, id).Stdout.Should().Be($"errno {EACCES}\nno-cloexec\nunix\n");
    }

    [RootFact]
    public void Rules_libseccomp_cannot_combine_fail_create_naming_the_second()
    {
        // Two actions for one syscall under conditions on different arguments: libseccomp refuses (runc too).
        var id = NewId();
        var profile = Profile("SCMP_ACT_ALLOW",
            Rule("SCMP_ACT_ERRNO", "socket", errno: EACCES, args: [Arg(1, "SCMP_CMP_MASKED_EQ", 0x80000, 0x80000)]),
            Rule("SCMP_ACT_ERRNO", "socket", errno: EPERM, args: [Arg(0, "SCMP_CMP_GT", 10)]));
        var bundle = WithProfile(NewBundle(id, "true"), profile).Write();
        ShouldFailCleanly(Runtime.Run("create", "--bundle", bundle.Dir, id), id,
            "linux.seccomp.syscalls[1].names[0]: libseccomp refused the rule for socket: it conflicts with an earlier rule");
        if (Runc is not null) RunWith(Runc, bundle, NewId("runc")).ExitCode.Should().NotBe(0, "runc refuses it too");
    }

    // ---- the engines' profiles ----

    [RootFact]
    public void Dockers_profile_runs_busybox_and_refuses_what_docker_refuses()
    {
        var id = NewId();
        var bundle = WithProbe(WithEngineProfile(NewBundle(id, "sh", "-c",
            "ls / >/dev/null && cat /proc/self/status | grep -c Seccomp && mkdir /dev/shm/d && ps >/dev/null && echo busybox works; " +
            "unshare -m true 2>/dev/null || echo unshare refused; mount -t tmpfs t /dev/shm/d 2>/dev/null || echo mount refused; " +
            $"{Probe} {Clone3} 0 0; {Probe} {Fchmodat2} 0 0 0 0; {Probe} 1000"), "docker-20.10-plain"));
        RunBoth(bundle, id).Stdout.Should().Be(
            "2\nbusybox works\nunshare refused\nmount refused\n" +
            $"errno {ENOSYS}\n" +  // clone3: the profile says ENOSYS, so glibc falls back to clone
            $"errno {ENOSYS}\n" +  // fchmodat2 (Linux 6.6): newer than the profile
            $"errno {ENOSYS}\n");  // no such syscall
    }

    [RootFact]
    public void Podmans_profile_answers_enosys_by_default_and_eperm_where_it_says()
    {
        var id = NewId();
        var bundle = WithProbe(WithEngineProfile(NewBundle(id, "sh", "-c",
            $"ls / >/dev/null && mkdir /dev/shm/d && echo busybox works; {Probe} {Kexec_load} 0 0 0 0; {Probe} {Fchmodat2} 0 0 0 0"), "podman-4.3-plain"));
        RunBoth(bundle, id).Stdout.Should().Be($"busybox works\nerrno {EPERM}\nerrno {ENOSYS}\n");
    }

    [RootFact]
    public void Without_the_enosys_prefix_a_new_syscall_would_get_the_default_errno()
    {
        // The same call under an ERRNO default that names nothing newer: ENOSYS only above the
        // highest syscall the profile names, the default errno below it.
        var id = NewId();
        var profile = Profile("SCMP_ACT_ERRNO", Rule("SCMP_ACT_ALLOW", [.. AllowedForBusybox, "fchmodat2"]));
        var bundle = WithProbe(WithProfile(NewBundle(id, "sh", "-c", $"{Probe} 1000; {Probe} {Clone3} 0 0"), profile));
        RunBoth(bundle, id).Stdout.Should().Be($"errno {ENOSYS}\nerrno {EPERM}\n");
    }

    [RootFact]
    public void A_compiled_profile_is_kept_under_the_root_and_used_again()
    {
        var profile = () => Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "mkdir", errno: EACCES));
        var cache = Path.Combine(Runtime.Root, "@seccomp");
        var first = NewId();
        RunOk(WithProfile(NewBundle(first, "sh", "-c", "mkdir /dev/shm/x 2>&1 || true"), profile()), first)
            .Should().Contain("Permission denied");
        var entry = Directory.GetFiles(cache, "*.bpf").Should().ContainSingle().Which;
        var written = File.GetLastWriteTimeUtc(entry);

        var second = NewId();
        RunOk(WithProfile(NewBundle(second, "sh", "-c", "mkdir /dev/shm/x 2>&1 || true"), profile()), second)
            .Should().Contain("Permission denied");
        Directory.GetFiles(cache, "*.bpf").Should().Equal([entry], "the same profile finds its entry");
        File.GetLastWriteTimeUtc(entry).Should().Be(written, "a found entry is not written again");
        Runtime.Run("list", "-q").Stdout.Should().NotContain("@seccomp", "the cache is no container");
        Runtime.Run("delete", "@seccomp").Stderr.Should().Contain("invalid container ID");
    }

    [RootFact]
    public void Dockers_loaded_filter_answers_as_runcs_for_every_syscall() => CompareLoadedFilters("docker-20.10-plain");

    [RootFact]
    public void Podmans_loaded_filter_answers_as_runcs_for_every_syscall() => CompareLoadedFilters("podman-4.3-plain");

    /// <summary>
    /// The filter each runtime loads for one profile, read back from its container's process
    /// (Support/seccomp-table.c, PTRACE_SECCOMP_GET_FILTER) and run for every syscall number up
    /// to 1023 on x86_64, i386 and x32 with three argument sets: the answers must be the same.
    /// </summary>
    private void CompareLoadedFilters(string fixture)
    {
        Skip.If(Runc is null, "compares with runc, which is not installed");
        var table = Helper("seccomp-table", "seccomp-table.c", "");
        string Answers(string binary, string root, string id, Bundle bundle)
        {
            var started = Runtime.Shell($"exec '{binary}' --root '{root}' run --detach --bundle '{bundle.Write().Dir}' '{id}' </dev/null >/dev/null 2>&1");
            started.ExitCode.Should().Be(0, started.ToString());
            try
            {
                var state = Runtime.Shell($"'{binary}' --root '{root}' state '{id}'");
                var pid = (int)JsonNode.Parse(state.Stdout)!["pid"]!;
                var dump = Runtime.Shell($"'{table}' {pid}");
                dump.ExitCode.Should().Be(0, dump.ToString());
                return dump.Stdout;
            }
            finally
            {
                Runtime.Shell($"'{binary}' --root '{root}' delete --force '{id}'");
            }
        }
        var id = NewId();
        var bundle = WithEngineProfile(NewBundle(id, "sleep", "60"), fixture);
        var ours = Answers(Runtime.Binary, Runtime.Root, id, bundle);
        var theirs = Answers(Runc!, Path.Combine(Work, "runc-root"), NewId("runc"), bundle);
        var lines = ours.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(3 * 1024 * 3);
        var differences = lines.Zip(theirs.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Where(p => p.First != p.Second).Take(5).ToList();
        differences.Should().BeEmpty("oci-run's filter must answer every syscall as runc's does");
        lines.Should().Contain($"x86_64 {Fchmodat2} 0 {0x50000 | ENOSYS:x8}", "a syscall newer than the profile gets ENOSYS from both");
    }

    // ---- where init loads it ----

    [RootFact]
    public void Without_no_new_privs_the_filter_is_loaded_before_the_capabilities_go()
    {
        // A user with no capability at all: loading the filter then would need CAP_SYS_ADMIN.
        var id = NewId();
        var bundle = WithEngineProfile(NewBundle(id, "sh", "-c", "id -u; grep Seccomp: /proc/self/status"), "docker-20.10-plain");
        bundle.Process["user"] = new JsonObject { ["uid"] = 1000, ["gid"] = 1000 };
        bundle.Process["capabilities"] = new JsonObject { ["bounding"] = new JsonArray(), ["effective"] = new JsonArray(), ["permitted"] = new JsonArray() };
        RunBoth(bundle, id).Stdout.Should().Be("1000\nSeccomp:\t2\n");
    }

    [RootFact]
    public void A_profile_without_faccessat2_and_close_range_still_runs_a_command_found_in_path()
    {
        // runtime-tools' profile leaves both out (runc 1.1.5 uses neither after the filter): init must
        // not need them once a filter without no_new_privs is in place. Found by its validation suite.
        var id = NewId();
        var bundle = WithEngineProfile(NewBundle(id, "true"), "docker-20.10-plain");
        foreach (var rule in bundle.Linux["seccomp"]!["syscalls"]!.AsArray())
        {
            if (rule!["names"] is not JsonArray names) continue;
            foreach (var name in names.Where(n => (string?)n is "faccessat2" or "close_range").ToList()) names.Remove(name);
        }
        bundle.Process["noNewPrivileges"] = false;
        var result = RunContainer(bundle, id);
        result.ExitCode.Should().Be(0, result.ToString());
    }

    [RootFact]
    public void Without_no_new_privs_the_identity_change_must_pass_the_filter()
    {
        // runc's order: the filter is in place before setuid, so a profile that refuses it stops the container.
        var id = NewId();
        // (runc calls setuid, oci-run setresuid: the profile refuses both.)
        var bundle = WithProfile(NewBundle(id, "true"), Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", ["setuid", "setresuid"], errno: EACCES)));
        bundle.Process["noNewPrivileges"] = false;
        bundle.Process["user"] = new JsonObject { ["uid"] = 1000, ["gid"] = 1000 };
        var result = RunContainer(bundle, id);
        result.ExitCode.Should().NotBe(0, result.ToString());
        result.Stderr.Should().Contain("setuid 1000: Permission denied");
        Directory.Exists(Path.Combine(Runtime.Root, id)).Should().BeFalse();
        CgroupDirs(id).Should().BeEmpty();
        if (Runc is not null) RunWith(Runc, bundle, NewId("runc")).ExitCode.Should().NotBe(0, "runc stops there too");
    }

    [RootFact]
    public void With_no_new_privs_the_filter_comes_after_the_identity_change()
    {
        // The same profile: init changes its user first, then loads the filter; the process meets it.
        var id = NewId();
        var bundle = WithProbe(WithProfile(NewBundle(id, "sh", "-c", $"id -u; {Probe} {Setresuid} 0 0 0"),
            Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", ["setuid", "setresuid"], errno: EACCES))));
        bundle.Process["noNewPrivileges"] = true;
        bundle.Process["user"] = new JsonObject { ["uid"] = 1000, ["gid"] = 1000 };
        RunBoth(bundle, id).Stdout.Should().Be($"1000\nerrno {EACCES}\n");
    }

    // ---- bad profiles ----

    [RootFact]
    public void An_unknown_action_fails_create_naming_the_field_and_leaves_nothing()
    {
        var id = NewId();
        var profile = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "mkdir"), Rule("SCMP_ACT_FOO", "rmdir"));
        var bundle = WithProfile(NewBundle(id, "true"), profile).Write();
        ShouldFailCleanly(Runtime.Run("create", "--bundle", bundle.Dir, id), id,
            "linux.seccomp.syscalls[1].action: unknown action \"SCMP_ACT_FOO\"");
    }

    [RootFact]
    public void A_malformed_condition_and_an_unknown_architecture_are_named_together()
    {
        var id = NewId();
        var profile = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "socket", args: [Arg(7, "SCMP_CMP_EQ", 1)]));
        profile["architectures"] = new JsonArray("SCMP_ARCH_X86_64", "SCMP_ARCH_VAX");
        var bundle = WithProfile(NewBundle(id, "true"), profile).Write();
        ShouldFailCleanly(Runtime.Run("create", "--bundle", bundle.Dir, id), id,
            "linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_VAX\"", "linux.seccomp.syscalls[0].args[0].index");
    }

    [RootFact]
    public void A_profile_libseccomp_refuses_in_init_leaves_nothing()
    {
        // Valid by name, but a big-endian architecture cannot share a filter with x86_64: init finds out.
        var id = NewId();
        var profile = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "mkdir"));
        profile["architectures"] = new JsonArray("SCMP_ARCH_X86_64", "SCMP_ARCH_S390X");
        var bundle = WithProfile(NewBundle(id, "true"), profile).Write();
        ShouldFailCleanly(Runtime.Run("create", "--bundle", bundle.Dir, id), id,
            "linux.seccomp.architectures[1]: SCMP_ARCH_S390X cannot be in a filter on this host");
        Runtime.Run("list", "-q").Stdout.Should().NotContain(id);
    }

    // ---- notify ----

    [RootFact]
    public void A_notified_syscall_is_answered_by_the_agent_with_no_new_privs() => NotifiedSyscall(noNewPrivileges: true);

    [RootFact]
    public void A_notified_syscall_is_answered_by_the_agent_without_no_new_privs() => NotifiedSyscall(noNewPrivileges: false);

    // runc 1.1.5 refuses every flag, so this one is not compared with it.
    [RootFact]
    public void Wait_killable_recv_loads_with_a_listener() => NotifiedSyscall(noNewPrivileges: true, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");

    /// <summary>
    /// mkdir is notified to an agent at listenerPath (Support/seccomp-agent.c) that receives runc's
    /// message with the listener and answers EXDEV; the two load points of init both hand it over.
    /// </summary>
    private void NotifiedSyscall(bool noNewPrivileges, string? flag = null)
    {
        // The agent answers every notified syscall with EXDEV: mkdir says so, and nothing is made.
        const int EXDEV = 18;
        RunResult RunWithAgent(string binary, string root, string id, Bundle bundle, string socket, out string agentOutput, out JsonNode message)
        {
            var messageFile = Path.Combine(Work, $"message-{id}.json");
            using var agent = StartAgent(socket, messageFile, EXDEV);
            try
            {
                var result = RunWith(binary, root, bundle, id);
                agent.WaitForExit(10_000).Should().BeTrue("the agent stops once no process is left under the filter");
                agentOutput = agent.StandardOutput.ReadToEnd();
                message = JsonNode.Parse(File.ReadAllText(messageFile))!;
                return result;
            }
            finally
            {
                if (!agent.HasExited) agent.Kill();
            }
        }

        var id = NewId();
        var socket = Path.Combine(Work, "agent.sock");
        var profile = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_NOTIFY", "mkdir"));
        profile["listenerPath"] = socket;
        profile["listenerMetadata"] = "from-the-test";
        if (flag is not null) profile["flags"] = new JsonArray(flag);
        var bundle = WithProfile(NewBundle(id, "sh", "-c", "mkdir /dev/shm/x 2>&1; ls /dev/shm"), profile);
        bundle.Process["noNewPrivileges"] = noNewPrivileges;
        var result = RunWithAgent(Runtime.Binary, Runtime.Root, id, bundle, socket, out var agentOutput, out var message);
        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Be("mkdir: can't create directory '/dev/shm/x': Invalid cross-device link\n");
        agentOutput.Should().Be($"nr {Mkdir}\n", "the agent saw the one notified syscall");
        ((string?)message["ociVersion"]).Should().NotBeNullOrEmpty();
        message["fds"]!.AsArray().Select(n => (string?)n).Should().Equal("seccompFd");
        ((int)message["pid"]!).Should().BeGreaterThan(0);
        ((string?)message["metadata"]).Should().Be("from-the-test");
        ((string?)message["state"]!["id"]).Should().Be(id);
        ((string?)message["state"]!["status"]).Should().Be("creating");
        ((int)message["state"]!["pid"]!).Should().Be((int)message["pid"]!);
        ((string?)message["state"]!["bundle"]).Should().Be(bundle.Dir);

        if (Runc is null || flag is not null) return;
        var runcId = NewId("runc");
        var runc = RunWithAgent(Runc, Path.Combine(Work, "runc-root"), runcId, bundle, socket, out var runcAgent, out var runcMessage);
        runc.Stdout.Should().Be(result.Stdout, "runc's container meets the same agent");
        runcAgent.Should().Be(agentOutput);
        Keys(runcMessage).Should().Equal(Keys(message), "oci-run sends runc's message");
        Keys(runcMessage["state"]!).Should().Equal(Keys(message["state"]!));
    }

    [RootFact]
    public void No_agent_at_listenerPath_fails_create_and_leaves_nothing()
    {
        var id = NewId();
        var profile = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_NOTIFY", "mkdir"));
        profile["listenerPath"] = Path.Combine(Work, "nobody-listens.sock");
        var bundle = WithProfile(NewBundle(id, "true"), profile).Write();
        ShouldFailCleanly(Runtime.Run("create", "--bundle", bundle.Dir, id), id,
            $"linux.seccomp.listenerPath: send the seccomp listener to {Path.Combine(Work, "nobody-listens.sock")}: No such file or directory");
    }

    private static System.Diagnostics.Process StartAgent(string socket, string messageFile, int errno)
    {
        var info = new System.Diagnostics.ProcessStartInfo(Helper("seccomp-agent", "seccomp-agent.c", ""))
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { socket, messageFile, errno.ToString() }) info.ArgumentList.Add(a);
        var agent = System.Diagnostics.Process.Start(info)!;
        // "listening" once the socket is bound, so the runtime can connect; read before the rest.
        var first = agent.StandardOutput.ReadLineAsync();
        if (!first.Wait(TimeSpan.FromSeconds(10)) || first.Result != "listening")
        {
            agent.Kill();
            throw new InvalidOperationException("the seccomp agent did not start");
        }
        return agent;
    }

    private static List<string> Keys(JsonNode node) => [.. node.AsObject().Select(p => p.Key).Order()];

    // ---- features ----

    [RootFact]
    public void Features_list_seccomp_with_what_it_takes()
    {
        var result = Runtime.Exec(["features"]);
        result.ExitCode.Should().Be(0, result.ToString());
        var features = JsonNode.Parse(result.Stdout)!;
        var seccomp = features["linux"]!["seccomp"]!;
        ((bool)seccomp["enabled"]!).Should().BeTrue();
        List<string> Names(string key) => seccomp[key]!.AsArray().Select(n => (string)n!).ToList();
        Names("actions").Should().BeEquivalentTo(["SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP",
            "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_LOG", "SCMP_ACT_ALLOW", "SCMP_ACT_NOTIFY"]);
        Names("operators").Should().BeEquivalentTo(["SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"]);
        Names("archs").Should().Contain(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64"]);
        Names("knownFlags").Should().BeEquivalentTo(["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
            "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]);
        Names("supportedFlags").Should().Contain(["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"])
            .And.BeSubsetOf(Names("knownFlags"));
        if (Environment.OSVersion.Version >= new Version(5, 19))
            Names("supportedFlags").Should().Contain("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", "Linux 5.19 has it");
        ((string?)features["annotations"]!["io.github.seccomp.libseccomp.version"]).Should().MatchRegex(@"^2\.\d+\.\d+$");
    }

    [RootFact]
    public void The_log_and_spec_allow_flags_load()
    {
        // LOG logs what the filter does not allow; SPEC_ALLOW keeps speculative store bypass as it is. Neither shows inside.
        var id = NewId();
        var profile = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "mkdir"));
        profile["flags"] = new JsonArray("SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW");
        var bundle = WithProfile(NewBundle(id, "sh", "-c", "grep Seccomp_filters /proc/self/status; mkdir /dev/shm/x 2>/dev/null || echo refused"), profile);
        RunOk(bundle, id).Should().Be("Seccomp_filters:\t1\nrefused\n");
    }

    // ---- helpers ----

    /// <summary>Syscalls busybox's sh and its applets need, for profiles whose default refuses.</summary>
    private static readonly string[] AllowedForBusybox =
    [
        "read", "write", "openat", "open", "close", "fstat", "newfstatat", "stat", "lstat", "statx", "mmap", "munmap", "mprotect", "brk",
        "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "ioctl", "access", "faccessat", "faccessat2", "execve", "exit", "exit_group",
        "wait4", "clone", "fork", "vfork", "getpid", "getppid", "getuid", "geteuid", "getgid", "getegid", "arch_prctl", "set_tid_address",
        "set_robust_list", "rseq", "prlimit64", "getrandom", "uname", "fcntl", "dup2", "dup3", "getcwd", "chdir", "lseek", "readlink",
        "getdents64", "pipe", "pipe2", "futex", "sysinfo", "poll", "ppoll", "pselect6", "select", "kill", "tgkill", "gettid", "umask",
        "setpgid", "getpgid", "getpgrp", "madvise", "mremap", "readv", "writev", "pread64",
        // and runc's init (Go) after its filter is in: the Go runtime's own calls
        "fstatfs", "statfs", "nanosleep", "clock_nanosleep", "clock_gettime", "sched_yield", "sigaltstack", "sched_getaffinity",
        "epoll_create1", "epoll_ctl", "epoll_pwait", "epoll_wait", "mincore", "getrlimit", "setrlimit", "prctl",
    ];

    private static JsonObject Profile(string defaultAction, params JsonObject[] rules) => new()
    {
        ["defaultAction"] = defaultAction,
        ["architectures"] = new JsonArray("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"),
        ["syscalls"] = new JsonArray([.. rules]),
    };

    private static JsonObject Rule(string action, string name, int? errno = null, JsonObject[]? args = null) => Rule(action, [name], errno, args);

    private static JsonObject Rule(string action, string[] names, int? errno = null, JsonObject[]? args = null)
    {
        var rule = new JsonObject { ["names"] = new JsonArray([.. names.Select(n => (JsonNode)n)]), ["action"] = action };
        if (errno is { } e) rule["errnoRet"] = e;
        if (args is not null) rule["args"] = new JsonArray([.. args]);
        return rule;
    }

    private static JsonObject Arg(int index, string op, ulong value, ulong valueTwo = 0) =>
        new() { ["index"] = index, ["value"] = value, ["valueTwo"] = valueTwo, ["op"] = op };

    private static Bundle WithProfile(Bundle bundle, JsonObject profile)
    {
        bundle.Linux["seccomp"] = profile;
        return bundle;
    }

    /// <summary>An engine's profile, with the process settings it came with (capabilities, no no_new_privs).</summary>
    private static Bundle WithEngineProfile(Bundle bundle, string fixture)
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(Runtime.RepoRoot, "tests", "EngineConfigs", fixture + ".json")))!;
        bundle.Linux["seccomp"] = config["linux"]!["seccomp"]!.DeepClone();
        bundle.Process["capabilities"] = config["process"]!["capabilities"]!.DeepClone();
        bundle.Process["noNewPrivileges"] = (bool?)config["process"]!["noNewPrivileges"] ?? false;
        return bundle;
    }

    private static Bundle WithProbe(Bundle bundle)
    {
        bundle.Mounts.Add(new JsonObject
        {
            ["destination"] = "/data",
            ["type"] = "bind",
            ["source"] = ProbeDir.Value,
            ["options"] = new JsonArray("rbind", "ro"),
        });
        return bundle;
    }

    /// <summary>
    /// `run` with oci-run and, where runc is installed, with runc: both exit with `exitCode` and print the
    /// same on stdout. Returns oci-run's result.
    /// </summary>
    private RunResult RunBoth(Bundle bundle, string id, int exitCode = 0)
    {
        var result = RunContainer(bundle, id);
        result.ExitCode.Should().Be(exitCode, result.ToString());
        if (Runc is null) return result;
        var runc = RunWith(Runc, bundle, NewId("runc"));
        runc.ExitCode.Should().Be(exitCode, $"runc: {runc}");
        result.Stdout.Should().Be(runc.Stdout, "oci-run's container sees what runc's sees");
        return result;
    }

    private RunResult RunWith(string binary, Bundle bundle, string id) => RunWith(binary, Path.Combine(Work, "runc-root"), bundle, id);

    private static RunResult RunWith(string binary, string root, Bundle bundle, string id) =>
        Runtime.Shell($"exec '{binary}' --root '{root}' run --bundle '{bundle.Write().Dir}' '{id}' </dev/null");

}
