using LibContainer;
using LibContainer.Processes;
using LibContainer.Security;
using LibContainer.Spec;
using LibContainer.State;

namespace LibContainer.Tests;

public sealed class SignalsTests
{
    [Theory]
    [InlineData("9", 9)]
    [InlineData("KILL", 9)]
    [InlineData("SIGKILL", 9)]
    [InlineData("sigterm", 15)]
    [InlineData("RTMIN+2", 36)]
    [InlineData("SIGRTMAX-1", 63)]
    [InlineData("SIGCHLD", 17)]
    public void Names_and_numbers_are_understood(string text, int number) => Signals.Parse(text).Should().Be(number);

    [Theory]
    [InlineData("0")]
    [InlineData("65")]
    [InlineData("FOO")]
    [InlineData("SIGUSR5")]
    public void Unknown_signals_are_errors_naming_the_input(string text)
    {
        var act = () => Signals.Parse(text);
        act.Should().Throw<ContainerError>().Which.Message.Should().Contain(text);
    }
}

public sealed class ProcessProbeTests
{
    [Fact]
    public void A_command_name_with_spaces_and_parentheses_does_not_shift_the_fields()
    {
        var stat = "1234 (my (odd) cmd) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000000 100";
        ProcessProbe.Parse(stat).Should().Be(('S', 987654UL));
    }

    [Fact]
    public void This_process_is_alive_and_a_wrong_start_time_is_not_it()
    {
        var me = ProcessProbe.Read(Environment.ProcessId)!.Value;
        ProcessProbe.IsSameAlive(Environment.ProcessId, me.StartTime).Should().BeTrue();
        ProcessProbe.IsSameAlive(Environment.ProcessId, me.StartTime + 1).Should().BeFalse("a reused PID has another start time");
        ProcessProbe.IsSameAlive(0, 0).Should().BeFalse();
    }
}

public sealed class StateStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ocirun-unit-").FullName;

    public void Dispose() => Directory.Delete(_root, true);

    private static ContainerState Sample(string id) => new()
    {
        Id = id, Pid = 0, PidStartTime = 5, Bundle = "/b", Rootfs = "/b/rootfs", Created = "2026-01-02T03:04:05.0000000Z",
        Annotations = new() { ["k"] = "v" }, CgroupPaths = new() { ["memory"] = "/sys/fs/cgroup/memory/x" },
    };

    [Theory]
    [InlineData("abc-1_2.3+x", true)]
    [InlineData("", false)]
    [InlineData(".", false)]
    [InlineData("..", false)]
    [InlineData("a/b", false)]
    [InlineData("a b", false)]
    public void Ids_are_checked(string id, bool valid)
    {
        var act = () => StateStore.ValidateId(id);
        if (valid) act.Should().NotThrow(); else act.Should().Throw<ContainerError>();
    }

    [Fact]
    public void A_second_create_of_an_id_is_refused()
    {
        var store = new StateStore(_root);
        using (store.CreateDirectory("c1")) { }
        var act = () => store.CreateDirectory("c1");
        act.Should().Throw<ContainerError>().WithMessage("*already exists*");
    }

    [Fact]
    public void State_round_trips_and_a_half_created_container_does_not_load()
    {
        var store = new StateStore(_root);
        using (store.CreateDirectory("saved")) store.Save(Sample("saved"));
        using (store.CreateDirectory("half-created")) { }
        store.Load("saved").Should().BeEquivalentTo(Sample("saved"));
        store.Ids().Should().Equal("half-created", "saved");
        var half = () => store.Load("half-created");
        half.Should().Throw<ContainerError>().WithMessage("*does not exist*", "list skips a directory without state.json");
        store.StatusOf(store.Load("saved")).Should().Be(ContainerStatus.Stopped, "PID 0 is no process");
    }

    [Fact]
    public void An_unknown_id_does_not_exist()
    {
        var act = () => new StateStore(_root).Load("nope");
        act.Should().Throw<ContainerError>().WithMessage("container \"nope\" does not exist");
    }
}

public sealed class BootstrapMessageTests
{
    [Fact]
    public void New_namespaces_become_flags_and_paths_are_joined()
    {
        var spec = SpecLoader.Parse("""{ "linux": { "namespaces": [{ "type": "pid" }, { "type": "mount" }, { "type": "network", "path": "/proc/7/ns/net" }] } }""");
        var message = BootstrapMessage.From(spec, ["/sys/fs/cgroup/memory/c/tasks"]);
        message.CloneFlags.Should().Be(0x20000000 | 0x00020000);
        message.JoinPaths.Should().Equal((0x40000000, "/proc/7/ns/net"));
    }

    [Fact]
    public void The_encoding_is_the_documented_attribute_list()
    {
        var bytes = new BootstrapMessage(0x20000000, [(0x40000000, "/n")], ["/t"]).Encode();
        // cgroup tasks (5): "/t" padded to 4; clone flags (1): u32; ns path (2): u32 type + "/n"
        bytes.Should().Equal(
        [
            5, 0, 0, 0, 2, 0, 0, 0, (byte)'/', (byte)'t', 0, 0,
            1, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0x20,
            2, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0x40, (byte)'/', (byte)'n', 0, 0,
        ]);
    }
}

public sealed class CapabilityNamesTests
{
    [Fact]
    public void Names_become_a_mask_and_unknown_names_are_named()
    {
        CapabilityNames.Mask(["CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_AUDIT_WRITE"], "x").Should().Be(0x20000420UL);
        var act = () => CapabilityNames.Mask(["CAP_FLY"], "process.capabilities.effective");
        act.Should().Throw<ContainerError>().Which.Message.Should().Contain("process.capabilities.effective").And.Contain("CAP_FLY");
        RlimitNames.Number("RLIMIT_NOFILE").Should().Be(7);
    }
}
