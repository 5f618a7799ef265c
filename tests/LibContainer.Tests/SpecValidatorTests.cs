using LibContainer;
using LibContainer.Spec;
using LibContainer.Validation;

namespace LibContainer.Tests;

public sealed class SpecValidatorTests
{
    // Each problem as the error lists it, "path: message".
    private static List<string> Problems(RuntimeSpec spec) => [.. SpecValidator.Problems(spec).Select(p => p.ToString())];

    private static string SingleProblem(RuntimeSpec spec) => Problems(spec).Should().ContainSingle().Which;

    [Fact]
    public void A_minimal_spec_has_no_problem()
    {
        Problems(Specs.Valid()).Should().BeEmpty();
        var act = () => SpecValidator.Validate(Specs.Valid());
        act.Should().NotThrow();
    }

    [Fact]
    public void A_problem_keeps_the_field_path_apart_from_the_message()
    {
        var spec = Specs.WithLinux(l => l with { Namespaces = [new Namespace { Type = "mount" }, new Namespace { Type = "bogus" }] }) with { Hostname = "box" };
        SpecValidator.Problems(spec).Should().Equal(
            new SpecProblem("linux.namespaces[1].type", "unknown namespace type \"bogus\""),
            new SpecProblem("hostname", "setting the hostname needs a UTS namespace in linux.namespaces"));
    }

    // ---- process ----

    [Fact]
    public void A_missing_process_is_named()
    {
        SingleProblem(Specs.Valid() with { Process = null }).Should().Be("process: missing");
    }

    [Fact]
    public void Validate_throws_the_first_problem_prefixed_with_the_file()
    {
        var act = () => SpecValidator.Validate(Specs.Valid() with { Process = null });
        act.Should().Throw<ContainerError>().WithMessage("config.json: process: missing");
    }

    [Fact]
    public void Process_args_must_name_a_program()
    {
        SingleProblem(Specs.WithProcess(p => p with { Args = null })).Should().Be("process.args: must name the program to run");
        SingleProblem(Specs.WithProcess(p => p with { Args = [] })).Should().Be("process.args: must name the program to run");
    }

    [Theory]
    [InlineData("tmp")]
    [InlineData("./tmp")]
    [InlineData("")]
    [InlineData(null)]
    public void Process_cwd_must_be_absolute(string? cwd)
    {
        SingleProblem(Specs.WithProcess(p => p with { Cwd = cwd }))
            .Should().Be($"process.cwd: must be an absolute path, not \"{cwd}\"");
    }

    [Fact]
    public void A_terminal_with_its_size_is_valid()
    {
        Problems(Specs.WithProcess(p => p with { Terminal = true, ConsoleSize = new ConsoleSize { Height = 24, Width = 80 } })).Should().BeEmpty();
    }

    [Theory]
    [InlineData("RLIMIT_BOGUS")]
    [InlineData("rlimit_nofile")]
    [InlineData("NOFILE")]
    public void An_unknown_rlimit_is_named(string type)
    {
        var spec = Specs.WithProcess(p => p with { Rlimits = [new Rlimit { Type = "RLIMIT_CORE" }, new Rlimit { Type = type, Hard = 1, Soft = 1 }] });
        SingleProblem(spec).Should().Be($"process.rlimits[1].type: unknown rlimit \"{type}\"");
    }

    [Fact]
    public void An_rlimit_with_soft_above_hard_is_named()
    {
        var spec = Specs.WithProcess(p => p with { Rlimits = [new Rlimit { Type = "RLIMIT_NOFILE", Hard = 1024, Soft = 4096 }] });
        SingleProblem(spec).Should().Be("process.rlimits[0]: soft limit 4096 is above hard limit 1024");
    }

    [Fact]
    public void An_rlimit_set_twice_is_named()
    {
        var spec = Specs.WithProcess(p => p with { Rlimits = [new Rlimit { Type = "RLIMIT_NOFILE" }, new Rlimit { Type = "RLIMIT_NOFILE" }] });
        SingleProblem(spec).Should().StartWith("process.rlimits[1].type: ").And.Contain("twice");
    }

    [Theory]
    [InlineData("bounding")]
    [InlineData("effective")]
    [InlineData("inheritable")]
    [InlineData("permitted")]
    [InlineData("ambient")]
    public void An_unknown_capability_is_named_with_its_set_and_index(string set)
    {
        List<string> names = ["CAP_KILL", "CAP_FLY"];
        var caps = set switch
        {
            "bounding" => new Capabilities { Bounding = names },
            "effective" => new Capabilities { Effective = names },
            "inheritable" => new Capabilities { Inheritable = names },
            "permitted" => new Capabilities { Permitted = names },
            _ => new Capabilities { Ambient = names },
        };
        SingleProblem(Specs.WithProcess(p => p with { Capabilities = caps }))
            .Should().Be($"process.capabilities.{set}[1]: unknown capability \"CAP_FLY\"");
    }

    [Fact]
    public void Process_fields_this_runtime_cannot_honour_are_named()
    {
        var spec = Specs.WithProcess(p => p with
        {
            IoPriority = new IoPriority { Class = "IOPRIO_CLASS_RT" },
            Scheduler = new Scheduler { Policy = "SCHED_FIFO" },
            ExecCpuAffinity = new CpuAffinity { Initial = "0" },
        });
        Problems(spec).Should().Equal(
            "process.ioPriority: not supported by oci-run yet",
            "process.scheduler: not supported by oci-run yet",
            "process.execCPUAffinity: not supported by oci-run yet");
    }

    [Fact]
    public void Windows_only_process_fields_are_named()
    {
        var spec = Specs.WithProcess(p => p with { CommandLine = "cmd.exe", User = new User { Username = "Administrator" } });
        Problems(spec).Should().Equal("process.commandLine: Windows only", "process.user.username: Windows only");
    }

    // ---- root and platform ----

    [Fact]
    public void A_missing_root_path_is_named()
    {
        SingleProblem(Specs.Valid() with { Root = null }).Should().Be("root.path: missing");
    }

    [Fact]
    public void A_spec_without_a_linux_section_is_refused()
    {
        Problems(Specs.Valid() with { Linux = null }).Should().Contain(p => p.StartsWith("linux: missing"));
    }

    [Fact]
    public void Other_platforms_are_named()
    {
        var other = SpecLoader.Parse("""{ "windows": {}, "solaris": {}, "vm": {}, "zos": {} }""");
        var spec = Specs.Valid() with { Windows = other.Windows, Solaris = other.Solaris, Vm = other.Vm, Zos = other.Zos };
        Problems(spec).Select(p => p.Split(':')[0]).Should().Equal("windows", "solaris", "vm", "zos");
    }

    // ---- namespaces ----

    [Fact]
    public void An_unknown_namespace_type_is_named_with_its_index()
    {
        var spec = Specs.WithLinux(l => l with { Namespaces = Specs.Namespaces("mount", "uts", "foo") });
        SingleProblem(spec).Should().Be("linux.namespaces[2].type: unknown namespace type \"foo\"");
    }

    [Fact]
    public void A_namespace_listed_twice_is_named()
    {
        var spec = Specs.WithLinux(l => l with { Namespaces = Specs.Namespaces("mount", "uts", "pid", "pid") });
        SingleProblem(spec).Should().Be("linux.namespaces[3].type: namespace \"pid\" is listed twice");
    }

    [Fact]
    public void A_mount_namespace_is_required()
    {
        var spec = Specs.WithLinux(l => l with { Namespaces = Specs.Namespaces("pid", "uts") });
        SingleProblem(spec).Should().StartWith("linux.namespaces: ").And.Contain("mount namespace is required");
    }

    [Fact]
    public void A_memory_policy_becomes_set_mempolicys_mode_flags_and_nodes()
    {
        var plan = LibContainer.Kernel.MemoryPolicyPlan.For(new MemoryPolicy { Mode = "MPOL_BIND", Nodes = "0-2,5", Flags = ["MPOL_F_STATIC_NODES"] })!;
        plan.ModeAndFlags.Should().Be(2 | 1 << 15);
        plan.Nodes.Should().Equal(0, 1, 2, 5);
        LibContainer.Kernel.MemoryPolicyPlan.For(new MemoryPolicy { Mode = "MPOL_LOCAL" })!.Nodes.Should().BeEmpty();
        LibContainer.Kernel.MemoryPolicyPlan.For(null).Should().BeNull();
        Problems(Specs.WithLinux(l => l with { MemoryPolicy = new MemoryPolicy { Mode = "MPOL_PREFERRED" } })).Should().BeEmpty("preferred takes zero nodes or more");
    }

    [Theory]
    [InlineData("MPOL_NOPE", null, null, "linux.memoryPolicy.mode: unknown mode \"MPOL_NOPE\"*")]
    [InlineData("MPOL_BIND", "0", "MPOL_F_NOPE", "linux.memoryPolicy.flags: unknown flag \"MPOL_F_NOPE\"*")]
    [InlineData("MPOL_BIND", "x-1", null, "linux.memoryPolicy.nodes: \"x-1\" is not a list of NUMA nodes*")]
    [InlineData("MPOL_BIND", "2048", null, "linux.memoryPolicy.nodes: \"2048\" is not a list*")]
    [InlineData("MPOL_BIND", null, null, "linux.memoryPolicy.nodes: MPOL_BIND needs at least one node")]
    [InlineData("MPOL_DEFAULT", "0", null, "linux.memoryPolicy.nodes: MPOL_DEFAULT takes no nodes")]
    public void A_bad_memory_policy_is_refused_by_field(string mode, string? nodes, string? flag, string error)
    {
        var spec = Specs.WithLinux(l => l with { MemoryPolicy = new MemoryPolicy { Mode = mode, Nodes = nodes, Flags = flag is null ? null : [flag] } });
        SingleProblem(spec).Should().Match(error);
    }

    [Fact]
    public void Net_devices_need_a_network_namespace_and_names_the_kernel_takes()
    {
        Problems(Specs.WithLinux(l => l with { Namespaces = Specs.Namespaces("mount", "uts", "network"), NetDevices = new() { ["eth1"] = new NetDevice { Name = "net0" } } }))
            .Should().BeEmpty();
        SingleProblem(Specs.WithLinux(l => l with { Namespaces = Specs.Namespaces("mount", "uts"), NetDevices = new() { ["eth1"] = new NetDevice() } }))
            .Should().Be("linux.netDevices: moving network devices needs a network namespace in linux.namespaces");
        SingleProblem(Specs.WithLinux(l => l with { Namespaces = Specs.Namespaces("mount", "uts", "network"), NetDevices = new() { ["eth1"] = new NetDevice { Name = "a-name-that-is-too-long" } } }))
            .Should().StartWith("linux.netDevices[\"eth1\"].name: \"a-name-that-is-too-long\" is not a network device name");
        SingleProblem(Specs.WithLinux(l => l with { Namespaces = Specs.Namespaces("mount", "uts", "network"), NetDevices = new() { ["eth/1"] = new NetDevice() } }))
            .Should().StartWith("linux.netDevices[\"eth/1\"]: \"eth/1\" is not a network device name");
    }

    [Theory]
    [InlineData("LINUX")]
    [InlineData("LINUX32")]
    public void A_known_personality_domain_is_accepted(string domain)
    {
        Problems(Specs.WithLinux(l => l with { Personality = new Personality { Domain = domain } })).Should().BeEmpty();
    }

    [Fact]
    public void An_unknown_personality_domain_or_any_flag_is_refused()
    {
        SingleProblem(Specs.WithLinux(l => l with { Personality = new Personality { Domain = "PER_BSD" } }))
            .Should().Be("linux.personality.domain: unknown domain \"PER_BSD\": LINUX or LINUX32");
        SingleProblem(Specs.WithLinux(l => l with { Personality = new Personality { Domain = "LINUX", Flags = ["ADDR_NO_RANDOMIZE"] } }))
            .Should().Be("linux.personality.flags: \"ADDR_NO_RANDOMIZE\": no personality flag is supported");
    }

    [Fact]
    public void A_time_namespace_with_offsets_is_accepted()
    {
        var spec = Specs.WithLinux(l => l with
        {
            Namespaces = Specs.Namespaces("mount", "uts", "time"),
            TimeOffsets = new() { ["monotonic"] = new TimeOffset { Secs = -3600 }, ["boottime"] = new TimeOffset { Secs = 86400, Nanosecs = 999_999_999 } },
        });
        Problems(spec).Should().BeEmpty();
    }

    [Fact]
    public void Time_offsets_need_a_new_time_namespace_and_known_clocks()
    {
        SingleProblem(Specs.WithLinux(l => l with { TimeOffsets = new() { ["monotonic"] = new TimeOffset { Secs = 1 } } }))
            .Should().Be("linux.timeOffsets: needs a new time namespace in linux.namespaces (one without a path)");
        SingleProblem(Specs.WithLinux(l => l with
        {
            Namespaces = [.. Specs.Namespaces("mount", "uts"), new Namespace { Type = "time", Path = "/proc/1/ns/time" }],
            TimeOffsets = new() { ["boottime"] = new TimeOffset { Secs = 1 } },
        })).Should().StartWith("linux.timeOffsets: needs a new time namespace");
        SingleProblem(Specs.WithLinux(l => l with { Namespaces = Specs.Namespaces("mount", "uts", "time"), TimeOffsets = new() { ["realtime"] = new TimeOffset { Secs = 1 } } }))
            .Should().StartWith("linux.timeOffsets.realtime: unknown clock");
        SingleProblem(Specs.WithLinux(l => l with { Namespaces = Specs.Namespaces("mount", "uts", "time"), TimeOffsets = new() { ["boottime"] = new TimeOffset { Nanosecs = 1_000_000_000 } } }))
            .Should().Be("linux.timeOffsets.boottime.nanosecs: 1000000000 is not under 1000000000");
    }

    [Fact]
    public void Every_known_namespace_type_is_accepted()
    {
        var spec = Specs.WithLinux(l => l with { Namespaces = Specs.Namespaces("pid", "network", "mount", "ipc", "uts", "cgroup") });
        Problems(spec).Should().BeEmpty();
    }

    [Fact]
    public void A_namespace_path_must_be_absolute()
    {
        var spec = Specs.WithLinux(l => l with
        {
            Namespaces = [.. Specs.Namespaces("mount", "uts"), new Namespace { Type = "network", Path = "netns/x" }],
        });
        SingleProblem(spec).Should().Be("linux.namespaces[2].path: must be absolute, not \"netns/x\"");
    }

    [Fact]
    public void A_hostname_needs_a_uts_namespace()
    {
        var spec = Specs.WithLinux(l => l with { Namespaces = Specs.Namespaces("mount") }) with { Hostname = "box" };
        SingleProblem(spec).Should().StartWith("hostname: ").And.Contain("UTS namespace");
    }

    [Fact]
    public void A_domainname_needs_a_uts_namespace()
    {
        var spec = Specs.WithLinux(l => l with { Namespaces = Specs.Namespaces("mount") }) with { Domainname = "example.org" };
        SingleProblem(spec).Should().StartWith("domainname: ").And.Contain("UTS namespace");
    }

    [Fact]
    public void A_hostname_with_a_uts_namespace_is_fine()
    {
        Problems(Specs.Valid() with { Hostname = "box", Domainname = "example.org" }).Should().BeEmpty();
    }

    // ---- mounts and hooks ----

    [Theory]
    [InlineData("relative")]
    [InlineData("")]
    public void A_mount_destination_must_be_absolute(string destination)
    {
        var spec = Specs.Valid() with { Mounts = [new Mount { Destination = "/proc", Type = "proc" }, new Mount { Destination = destination, Type = "tmpfs" }] };
        SingleProblem(spec).Should().Be($"mounts[1].destination: must be an absolute path, not \"{destination}\"");
    }

    [Fact]
    public void An_unsupported_mount_option_is_named_with_the_mount_index()
    {
        var spec = Specs.Valid() with { Mounts = [new Mount { Destination = "/x", Type = "bind", Source = "/y", Options = ["rbind", "idmap"] }] };
        SingleProblem(spec).Should().Be("mounts[0].options: mount option \"idmap\" is not supported yet");
    }

    [Fact]
    public void An_idmapped_mount_is_refused_as_not_supported()
    {
        var spec = Specs.Valid() with
        {
            Mounts = [new Mount { Destination = "/x", Type = "bind", Source = "/y", Options = ["rbind"], UidMappings = [new IdMapping { HostId = 1000, Size = 1 }] }],
        };
        SingleProblem(spec).Should().StartWith("mounts[0].uidMappings/gidMappings").And.EndWith("not supported by oci-run yet");
    }

    [Theory]
    [InlineData("prestart")]
    [InlineData("createRuntime")]
    [InlineData("createContainer")]
    [InlineData("startContainer")]
    [InlineData("poststart")]
    [InlineData("poststop")]
    public void A_hook_needs_an_absolute_path_and_a_positive_timeout(string kind)
    {
        List<Hook> list = [new Hook { Path = "/bin/true" }, new Hook { Path = "true" }, new Hook { Path = "/bin/true", Timeout = 0 }];
        var hooks = kind switch
        {
            "prestart" => new Spec.Hooks { Prestart = list },
            "createRuntime" => new Spec.Hooks { CreateRuntime = list },
            "createContainer" => new Spec.Hooks { CreateContainer = list },
            "startContainer" => new Spec.Hooks { StartContainer = list },
            "poststart" => new Spec.Hooks { Poststart = list },
            _ => new Spec.Hooks { Poststop = list },
        };
        Problems(Specs.Valid() with { Hooks = hooks }).Should().Equal(
            $"hooks.{kind}[1].path: must be an absolute path, not \"true\"",
            $"hooks.{kind}[2].timeout: must be a positive number of seconds, not 0");
    }

    [Fact]
    public void Empty_hook_lists_ask_for_nothing()
    {
        Problems(Specs.Valid() with { Hooks = new Spec.Hooks { Prestart = [], Poststop = [] } }).Should().BeEmpty();
    }

    // ---- linux ----

    [Fact]
    public void Seccomp_is_checked_by_its_plan()
    {
        Problems(Specs.WithLinux(l => l with { Seccomp = new Seccomp { DefaultAction = "SCMP_ACT_ERRNO" } })).Should().BeEmpty();
        SingleProblem(Specs.WithLinux(l => l with { Seccomp = new Seccomp { DefaultAction = "SCMP_ACT_NOPE" } }))
            .Should().Be("linux.seccomp.defaultAction: unknown action \"SCMP_ACT_NOPE\"");
    }

    [Fact]
    public void Security_labels_are_an_error_without_their_module_and_accepted_with_it()
    {
        var spec = Specs.WithProcess(p => p with { ApparmorProfile = "docker-default", SelinuxLabel = "system_u:system_r:container_t:s0" })
            with { Linux = Specs.Valid().Linux! with { MountLabel = "system_u:object_r:container_file_t:s0" } };
        var without = new ProblemList();
        new SecurityLabelRule(() => new SecurityModules(false, false)).Check(spec, without);
        without.Found.Select(p => p.ToString()).Should().Equal(
            "process.apparmorProfile: AppArmor is not enabled on this host, so the profile cannot be applied",
            "process.selinuxLabel: SELinux is not enabled on this host, so the label cannot be applied",
            "linux.mountLabel: SELinux is not enabled on this host, so the label cannot be applied");
        var with = new ProblemList();
        new SecurityLabelRule(() => new SecurityModules(true, true)).Check(spec, with);
        with.Found.Should().BeEmpty("init applies them (SecurityLabels)");
    }

    [Fact]
    public void A_config_without_labels_reads_nothing_of_the_host()
    {
        var problems = new ProblemList();
        new SecurityLabelRule(() => throw new InvalidOperationException("read the host")).Check(Specs.Valid(), problems);
        problems.Found.Should().BeEmpty();
    }

    [Fact]
    public void Linux_features_this_runtime_lacks_are_each_named()
    {
        var spec = Specs.WithLinux(l => l with
        {
            IntelRdt = new IntelRdt { ClosId = "x" },
        });
        Problems(spec).Select(p => p.Split(':')[0]).Should().Equal("linux.intelRdt");
    }

    [Theory]
    [InlineData("rprivate")]
    [InlineData("shared")]
    [InlineData("rslave")]
    public void A_known_rootfs_propagation_is_fine(string propagation)
    {
        Problems(Specs.WithLinux(l => l with { RootfsPropagation = propagation })).Should().BeEmpty();
    }

    [Fact]
    public void An_unknown_rootfs_propagation_is_named()
    {
        SingleProblem(Specs.WithLinux(l => l with { RootfsPropagation = "sideways" }))
            .Should().Be("linux.rootfsPropagation: unknown propagation \"sideways\"");
    }

    [Fact]
    public void Linux_devices_need_a_known_type_and_an_absolute_path()
    {
        var spec = Specs.WithLinux(l => l with
        {
            Devices = [new Device { Type = "c", Path = "/dev/fuse", Major = 10, Minor = 229 }, new Device { Type = "q", Path = "dev/x" }],
        });
        Problems(spec).Should().Equal(
            "linux.devices[1].type: must be c, b, u or p, not \"q\"",
            "linux.devices[1].path: must be an absolute path");
    }

    // ---- resources ----

    [Fact]
    public void Empty_resource_sections_ask_for_nothing()
    {
        var spec = Specs.WithResources(new Resources
        {
            Memory = new MemoryResources(), Cpu = new CpuResources(), Pids = new PidsResources(),
            BlockIO = new BlockIoResources(), HugepageLimits = [], Network = new NetworkResources(), Rdma = [], Unified = [],
        });
        Problems(spec).Should().BeEmpty();
    }

    [Fact]
    public void An_empty_memory_object_from_json_is_accepted()
    {
        var spec = SpecLoader.Parse("""
            { "ociVersion": "1.2.1", "process": { "args": ["sh"], "cwd": "/" }, "root": { "path": "rootfs" },
              "linux": { "namespaces": [{ "type": "mount" }], "resources": { "memory": {}, "devices": [{ "allow": false, "access": "rwm" }] } } }
            """);
        Problems(spec).Should().BeEmpty();
    }

    [Fact]
    public void Every_resource_section_passes_validation_its_values_are_checked_against_the_host_at_create()
    {
        var spec = Specs.WithResources(new Resources
        {
            Memory = new MemoryResources { Limit = 1 << 20 },
            Cpu = new CpuResources { Shares = 512 },
            Pids = new PidsResources { Limit = 10 },
            BlockIO = new BlockIoResources { Weight = 100 },
            HugepageLimits = [new HugepageLimit { PageSize = "2MB", Limit = 1 }],
            Network = new NetworkResources { ClassId = 1 },
            Rdma = new() { ["mlx5_1"] = new RdmaLimit { HcaHandles = 1 } },
            Unified = new() { ["memory.high"] = "1G" },
        });
        Problems(spec).Should().BeEmpty();
    }

    [Fact]
    public void Device_rules_need_a_known_type_and_rwm_access()
    {
        var spec = Specs.WithResources(new Resources
        {
            Devices = [new DeviceRule { Allow = false, Access = "rwm" }, new DeviceRule { Allow = true, Type = "p", Access = "rwx" }],
        });
        Problems(spec).Should().Equal(
            "linux.resources.devices[1].type: must be a, c or b, not \"p\"",
            "linux.resources.devices[1].access: must be made of r, w and m, not \"rwx\"");
    }

    // ---- sysctl ----

    [Theory]
    [InlineData("net.ipv4.ip_forward", "network")]
    [InlineData("kernel.shmmax", "ipc")]
    [InlineData("fs.mqueue.queues_max", "ipc")]
    [InlineData("kernel.domainname", "uts")]
    public void A_namespaced_sysctl_is_fine_with_its_namespace(string key, string ns)
    {
        var spec = Specs.WithLinux(l => l with
        {
            Namespaces = [.. Specs.Namespaces("mount", "uts", ns).DistinctBy(n => n.Type)],
            Sysctl = new() { [key] = "1" },
        });
        Problems(spec).Should().BeEmpty();
    }

    [Theory]
    [InlineData("net.ipv4.ip_forward", "network")]
    [InlineData("kernel.msgmax", "ipc")]
    public void A_namespaced_sysctl_without_its_namespace_would_change_the_host(string key, string ns)
    {
        var spec = Specs.WithLinux(l => l with { Sysctl = new() { [key] = "1" } });
        SingleProblem(spec).Should().Be($"linux.sysctl[\"{key}\"]: needs a {ns} namespace of the container's own in linux.namespaces");
    }

    [Fact]
    public void A_sysctl_outside_any_namespace_is_refused()
    {
        SingleProblem(Specs.WithLinux(l => l with { Sysctl = new() { ["kernel.panic"] = "1" } }))
            .Should().StartWith("linux.sysctl[\"kernel.panic\"]: ").And.Contain("would change the host");
    }

    // ---- several at once ----

    [Fact]
    public void Every_problem_is_listed_not_only_the_first()
    {
        var spec = Specs.WithProcess(p => p with { Cwd = "rel", IoPriority = new IoPriority { Class = "IOPRIO_CLASS_IDLE" } }) with { Hooks = new Spec.Hooks { Prestart = [new Hook { Path = "x" }] } };
        Problems(spec).Should().HaveCount(3)
            .And.Contain(p => p.StartsWith("process.cwd"))
            .And.Contain(p => p.StartsWith("process.ioPriority"))
            .And.Contain(p => p.StartsWith("hooks.prestart"));
    }
    [Fact]
    public void Validate_throws_every_problem_in_one_line()
    {
        var spec = Specs.WithProcess(p => p with { Cwd = "rel", IoPriority = new IoPriority { Class = "IOPRIO_CLASS_IDLE" } }) with { Root = null };
        var act = () => SpecValidator.Validate(spec);
        act.Should().Throw<ContainerError>().WithMessage("config.json: 3 problems: "
            + "root.path: missing; process.cwd: must be an absolute path, not \"rel\"; process.ioPriority: not supported by oci-run yet");
    }

    [Fact]
    public void An_echoed_value_stays_on_one_line()
    {
        var message = SingleProblem(Specs.WithProcess(p => p with { Cwd = "a\nb\u0001" }));
        message.Should().Be("process.cwd: must be an absolute path, not \"a\\nb\\u0001\"");
    }

    // ---- ociVersion ----

    [Fact]
    public void A_missing_oci_version_is_named()
    {
        SingleProblem(Specs.Valid() with { OciVersion = null }).Should().StartWith("ociVersion: missing");
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1")]
    [InlineData("1.2")]
    [InlineData("1.2.3.4")]
    [InlineData("v1.2.3")]
    [InlineData("01.2.3")]
    [InlineData("1.02.3")]
    [InlineData("1.2.3-")]
    [InlineData("1.2.3-rc..1")]
    [InlineData("1.2.3-01")]
    [InlineData("1.2.3+")]
    [InlineData("1.2.3+build_1")]
    [InlineData(" 1.2.3")]
    [InlineData("1.2.x")]
    public void An_oci_version_that_is_not_semver_is_named(string version)
    {
        SingleProblem(Specs.Valid() with { OciVersion = version }).Should()
            .Be($"ociVersion: \"{version}\" is not a version: expected MAJOR.MINOR.PATCH, e.g. \"1.2.1\"");
    }

    [Theory]
    [InlineData("99.0.0")]
    [InlineData("2.0.0")]
    [InlineData("0.5.0")]
    [InlineData("99999999999999999999999.0.0")]
    public void An_oci_version_of_another_major_version_is_refused(string version)
    {
        SingleProblem(Specs.Valid() with { OciVersion = version }).Should()
            .Be($"ociVersion: \"{version}\" is not supported: oci-run implements runtime-spec 1.x (up to 1.2.1)");
    }

    [Theory]
    [InlineData("1.0.0")]
    [InlineData("1.0.2-dev")]
    [InlineData("1.2.1")]
    [InlineData("1.3.0")]
    [InlineData("1.9.9")]
    [InlineData("1.10.0")]
    [InlineData("1.2.3-rc.1+build.5")]
    [InlineData("1.2.3-0.alpha-1")]
    [InlineData("1.2.3+001")]
    public void An_oci_version_1_x_is_fine_even_newer_than_ours(string version)
    {
        Problems(Specs.Valid() with { OciVersion = version }).Should().BeEmpty();
    }

    // ---- hostname and domainname ----

    [Fact]
    public void A_hostname_longer_than_the_kernel_allows_is_shown_cut()
    {
        var huge = new string('h', 100_000);
        SingleProblem(Specs.Valid() with { Hostname = huge }).Should()
            .Be($"hostname: \"{huge[..100]}\"... (cut: 100000 characters in all) is longer than 64 bytes, the kernel's limit");
    }

    [Fact]
    public void Uts_names_of_64_bytes_are_fine_and_65_are_not()
    {
        Problems(Specs.Valid() with { Hostname = new string('h', 64), Domainname = new string('d', 64) }).Should().BeEmpty();
        SingleProblem(Specs.Valid() with { Domainname = new string('d', 65) }).Should()
            .Be($"domainname: \"{new string('d', 65)}\" is longer than 64 bytes, the kernel's limit");
        SingleProblem(Specs.Valid() with { Hostname = new string('é', 33) }).Should().StartWith("hostname: ", "the limit is in bytes, not characters");
    }
}
