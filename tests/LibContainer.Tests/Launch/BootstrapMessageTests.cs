using System.Buffers.Binary;
using System.Text;
using LibContainer.Launch;
using LibContainer.Spec;
using Clone = LibContainer.Interop.Clone;

namespace LibContainer.Tests.Launch;

public sealed class BootstrapMessageTests
{
    // The numbers are protocol.h's, through BootstrapAttributes (LaunchNumbersTests checks them).
    private const uint CloneFlags = BootstrapAttributes.CloneFlags, NsPath = BootstrapAttributes.NsPath,
        CgroupTasks = BootstrapAttributes.CgroupTasks, CgroupV2Dir = BootstrapAttributes.CgroupV2Dir;

    /// <summary>Reads the attribute list as the C stage does: u32 type, u32 length, value padded to 4 bytes.</summary>
    private static List<(uint Type, byte[] Value)> Attributes(byte[] bytes)
    {
        var list = new List<(uint, byte[])>();
        var off = 0;
        while (off < bytes.Length)
        {
            off.Should().BeLessThanOrEqualTo(bytes.Length - 8, "every attribute starts with a whole header");
            var type = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(off));
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(off + 4));
            off += 8;
            list.Add((type, bytes[off..(off + length)]));
            var padded = (length + 3) & ~3;
            bytes[(off + length)..(off + padded)].All(b => b == 0).Should().BeTrue("padding is zeros");
            off += padded;
        }
        return list;
    }

    private static RuntimeSpec WithNamespaces(params Namespace[] namespaces) => Specs.WithLinux(l => l with { Namespaces = [.. namespaces] });

    [Fact]
    public void New_namespaces_become_clone_flags()
    {
        var spec = WithNamespaces(new() { Type = "pid" }, new() { Type = "network" }, new() { Type = "ipc" }, new() { Type = "uts" },
            new() { Type = "mount" }, new() { Type = "cgroup" });
        var message = BootstrapMessage.From(spec);
        message.CloneFlags.Should().Be(Clone.NEWPID | Clone.NEWNET | Clone.NEWIPC | Clone.NEWUTS | Clone.NEWNS | Clone.NEWCGROUP);
        message.JoinPaths.Should().BeEmpty();
    }

    [Fact]
    public void Namespaces_with_a_path_are_joined_not_created()
    {
        var spec = WithNamespaces(new() { Type = "pid" }, new() { Type = "mount" },
            new() { Type = "network", Path = "/var/run/netns/cni-1" }, new() { Type = "uts", Path = "/proc/7/ns/uts" });
        var message = BootstrapMessage.From(spec);
        message.CloneFlags.Should().Be(Clone.NEWPID | Clone.NEWNS);
        message.JoinPaths.Should().Equal((Clone.NEWUTS, "/proc/7/ns/uts"), (Clone.NEWNET, "/var/run/netns/cni-1"));
    }

    [Fact]
    public void The_user_namespace_is_joined_first_and_the_mount_namespace_last_whatever_the_config_order()
    {
        // What `exec` sends: every namespace of a running container by path.
        var types = new[] { ("mount", "mnt"), ("cgroup", "cgroup"), ("pid", "pid"), ("network", "net"), ("uts", "uts"), ("ipc", "ipc"), ("user", "user") };
        var message = BootstrapMessage.From(WithNamespaces([.. types.Select(t => new Namespace { Type = t.Item1, Path = $"/proc/9/ns/{t.Item2}" })]));
        message.CloneFlags.Should().Be(0);
        message.JoinPaths.Select(j => j.Path).Should().Equal(
            "/proc/9/ns/user", "/proc/9/ns/ipc", "/proc/9/ns/uts", "/proc/9/ns/net", "/proc/9/ns/pid", "/proc/9/ns/cgroup", "/proc/9/ns/mnt");
        message.UidMap.Should().BeNull("a joined user namespace has its maps");
    }

    [Fact]
    public void A_new_user_namespace_carries_its_map_texts()
    {
        var spec = Specs.WithLinux(l => l with
        {
            Namespaces = [new() { Type = "user" }, new() { Type = "mount" }],
            UidMappings = [new() { ContainerId = 0, HostId = 100000, Size = 65536 }],
            GidMappings = [new() { ContainerId = 0, HostId = 200000, Size = 1 }, new() { ContainerId = 1, HostId = 300001, Size = 9 }],
        });
        var message = BootstrapMessage.From(spec);
        message.CloneFlags.Should().Be(Clone.NEWUSER | Clone.NEWNS);
        message.UidMap.Should().Be("0 100000 65536\n");
        message.GidMap.Should().Be("0 200000 1\n1 300001 9\n");
        Attributes(message.Encode()).Select(a => (a.Type, Encoding.ASCII.GetString(a.Value))).Should().Contain(
            [(BootstrapAttributes.UidMap, "0 100000 65536\n"), (BootstrapAttributes.GidMap, "0 200000 1\n1 300001 9\n")]);
    }

    [Fact]
    public void An_empty_path_means_a_new_namespace()
    {
        BootstrapMessage.From(WithNamespaces(new Namespace { Type = "uts", Path = "" })).CloneFlags.Should().Be(Clone.NEWUTS);
    }

    [Fact]
    public void No_namespaces_is_zero_flags()
    {
        BootstrapMessage.From(Specs.Valid() with { Linux = null }).CloneFlags.Should().Be(0);
    }

    [Fact]
    public void The_encoding_is_the_documented_attribute_list_byte_for_byte()
    {
        new BootstrapMessage(0x20000000, [(0x40000000, "/n")]).Encode().Should().Equal(
        [
            1, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0x20,
            2, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0x40, (byte)'/', (byte)'n', 0, 0,
        ]);
        new CgroupMessage(["/t"], "/u").Encode().Should().Equal(
        [
            5, 0, 0, 0, 2, 0, 0, 0, (byte)'/', (byte)'t', 0, 0,
            6, 0, 0, 0, 2, 0, 0, 0, (byte)'/', (byte)'u', 0, 0,
        ]);
    }

    [Fact]
    public void Every_attribute_decodes_as_the_c_stage_reads_it()
    {
        var message = new BootstrapMessage(Clone.NEWPID | Clone.NEWNS,
            [(Clone.NEWNET, "/var/run/netns/cni-1"), (Clone.NEWUTS, "/proc/12/ns/uts")]);
        var attributes = Attributes(message.Encode());

        attributes.Select(a => a.Type).Should().Equal(CloneFlags, NsPath, NsPath);
        attributes[0].Value.Should().HaveCount(4);
        BinaryPrimitives.ReadInt32LittleEndian(attributes[0].Value).Should().Be(Clone.NEWPID | Clone.NEWNS);
        BinaryPrimitives.ReadInt32LittleEndian(attributes[1].Value).Should().Be(Clone.NEWNET);
        Encoding.UTF8.GetString(attributes[1].Value[4..]).Should().Be("/var/run/netns/cni-1", "no NUL is sent");
        BinaryPrimitives.ReadInt32LittleEndian(attributes[2].Value).Should().Be(Clone.NEWUTS);
        Encoding.UTF8.GetString(attributes[2].Value[4..]).Should().Be("/proc/12/ns/uts");
    }

    [Fact]
    public void The_cgroup_message_names_each_tasks_file_and_the_v2_directory()
    {
        var message = CgroupMessage.From(new(["/sys/fs/cgroup/memory/c1/tasks", "/sys/fs/cgroup/pids/c1/tasks"], "/sys/fs/cgroup/unified/c1"));
        var attributes = Attributes(message.Encode());

        attributes.Select(a => a.Type).Should().Equal(CgroupTasks, CgroupTasks, CgroupV2Dir);
        Encoding.UTF8.GetString(attributes[0].Value).Should().Be("/sys/fs/cgroup/memory/c1/tasks", "no NUL is sent");
        Encoding.UTF8.GetString(attributes[1].Value).Should().Be("/sys/fs/cgroup/pids/c1/tasks");
        Encoding.UTF8.GetString(attributes[2].Value).Should().Be("/sys/fs/cgroup/unified/c1");
        Attributes(CgroupMessage.From(new([], null)).Encode()).Should().BeEmpty("a host without cgroups sends an empty frame");
    }

    [Theory]
    [InlineData("/a")]
    [InlineData("/ab")]
    [InlineData("/abc")]
    [InlineData("/abcd")]
    public void Paths_of_any_length_are_padded_to_four_bytes(string path)
    {
        var bytes = new BootstrapMessage(0, [(Clone.NEWNET, path)]).Encode();
        bytes.Length.Should().Be(bytes.Length / 4 * 4);
        Encoding.UTF8.GetString(Attributes(bytes)[1].Value[4..]).Should().Be(path);
        var cgroups = new CgroupMessage([path], path).Encode();
        cgroups.Length.Should().Be(cgroups.Length / 4 * 4);
        Attributes(cgroups).Should().OnlyContain(a => Encoding.UTF8.GetString(a.Value) == path);
    }

    [Fact]
    public void A_non_ascii_path_is_measured_in_bytes()
    {
        var attributes = Attributes(new BootstrapMessage(0, [(Clone.NEWNET, "/run/netns/é")]).Encode());
        attributes[1].Value.Length.Should().Be(4 + Encoding.UTF8.GetByteCount("/run/netns/é"));
        Encoding.UTF8.GetString(attributes[1].Value[4..]).Should().Be("/run/netns/é");
    }

    [Fact]
    public void A_message_with_nothing_to_do_still_carries_the_clone_flags()
    {
        Attributes(new BootstrapMessage(0, []).Encode()).Should().ContainSingle().Which.Type.Should().Be(CloneFlags);
    }
}
