using System.Text;
using CsCheck;
using LibContainer.Launch;
using Clone = LibContainer.Interop.Clone;

namespace LibContainer.Tests.Launch;

/// <summary>
/// The C stage's frame parser (Launch/frame.c), fed what C# encodes: it must find
/// exactly what C# meant, and refuse a malformed frame with the message the user sees.
/// </summary>
public sealed class FrameParserTests
{
    private static string Hex(int flags) => $"0x{(uint)flags:x}";

    [Fact]
    public void The_bootstrap_frame_gives_the_clone_flags_and_each_namespace_path_with_its_type()
    {
        var message = new BootstrapMessage(Clone.NEWPID | Clone.NEWNS | Clone.NEWCGROUP,
            [(Clone.NEWNET, "/var/run/netns/cni-1"), (Clone.NEWUTS, "/proc/12/ns/uts"), (Clone.NEWNS, "/proc/12/ns/mnt")]);
        LaunchProbe.Parse(message.Encode()).Should().Equal(
            $"clone_flags {Hex(Clone.NEWPID | Clone.NEWNS | Clone.NEWCGROUP)}",
            $"ns {Hex(Clone.NEWNET)} /var/run/netns/cni-1",
            $"ns {Hex(Clone.NEWUTS)} /proc/12/ns/uts",
            $"ns {Hex(Clone.NEWNS)} /proc/12/ns/mnt");
    }

    [Fact]
    public void The_bootstrap_frame_of_a_spec_carries_its_namespaces()
    {
        var spec = Specs.WithLinux(l => l with
        {
            Namespaces = [new() { Type = "pid" }, new() { Type = "network", Path = "/run/netns/n" }, new() { Type = "mount" }],
        });
        LaunchProbe.Parse(BootstrapMessage.From(spec).Encode()).Should().Equal(
            $"clone_flags {Hex(Clone.NEWPID | Clone.NEWNS)}", $"ns {Hex(Clone.NEWNET)} /run/netns/n");
    }

    [Fact]
    public void The_bootstrap_frame_of_a_new_user_namespace_gives_both_map_texts_whole()
    {
        var message = new BootstrapMessage(Clone.NEWUSER | Clone.NEWNS, [], "0 100000 65536\n", "0 100000 1\n1 200000 65535\n");
        LaunchProbe.Parse(message.Encode()).Should().Equal(
            $"clone_flags {Hex(Clone.NEWUSER | Clone.NEWNS)}", "uid_map 0 100000 65536;", "gid_map 0 100000 1;1 200000 65535;");
        var longest = new string('1', 4094) + "\n";
        LaunchProbe.Parse(new BootstrapMessage(0, [], longest, longest).Encode()).Should().HaveCount(3, "a map of 4095 bytes is taken");
    }

    [Fact]
    public void The_bootstrap_frame_of_a_new_time_namespace_gives_its_offsets_as_timens_offsets_takes_them()
    {
        var spec = Specs.WithLinux(l => l with
        {
            Namespaces = [new() { Type = "time" }, new() { Type = "mount" }],
            TimeOffsets = new() { ["boottime"] = new() { Secs = 172800 }, ["monotonic"] = new() { Secs = -5, Nanosecs = 250 } },
        });
        LaunchProbe.Parse(BootstrapMessage.From(spec).Encode()).Should().Equal(
            $"clone_flags {Hex(Clone.NEWTIME | Clone.NEWNS)}", "time_offsets monotonic -5 250;boottime 172800 0;");
        LaunchProbe.Parse(BootstrapMessage.From(Specs.WithLinux(l => l with { Namespaces = [new() { Type = "time" }] })).Encode())
            .Should().Equal($"clone_flags {Hex(Clone.NEWTIME)}");
    }

    [Fact]
    public void The_cgroup_frame_gives_each_tasks_file_and_the_v2_directory()
    {
        var message = CgroupMessage.From(new(["/sys/fs/cgroup/memory/c1/tasks", "/sys/fs/cgroup/pids/c1/tasks"], "/sys/fs/cgroup/unified/c1"));
        LaunchProbe.Parse(message.Encode()).Should().Equal(
            "tasks /sys/fs/cgroup/memory/c1/tasks", "tasks /sys/fs/cgroup/pids/c1/tasks", "v2 /sys/fs/cgroup/unified/c1");
        LaunchProbe.Parse(new CgroupMessage([], "/sys/fs/cgroup/c1").Encode()).Should().Equal("v2 /sys/fs/cgroup/c1");
        LaunchProbe.Parse(CgroupMessage.From(new([], null)).Encode()).Should().BeEmpty("a host without cgroups sends an empty frame");
    }

    [Fact]
    public void Paths_of_any_length_and_in_any_script_come_back_whole()
    {
        Gen.Select(Gen.Int, Gen.Char["!~"].Array[1, 40], Gen.Char["é☃z"].Array[0, 3], Gen.Int[0, 6])
            .Sample((flags, ascii, other, count) =>
            {
                var path = "/" + new string(ascii) + new string(other);
                var joins = new List<(int, string)>();
                for (var i = 0; i < count; i++) joins.Add((1 << i, path + i));
                var lines = LaunchProbe.Parse(new BootstrapMessage(flags, joins).Encode());
                var expected = new List<string> { $"clone_flags {Hex(flags)}" };
                foreach (var (type, p) in joins) expected.Add($"ns {Hex(type)} {p}");
                lines.Should().Equal(expected);
                LaunchProbe.Parse(new CgroupMessage([path], path).Encode()).Should().Equal($"tasks {path}", $"v2 {path}");
            }, iter: 500);
    }

    private static byte[] Attribute(uint type, byte[] value)
    {
        var buffer = new List<byte>();
        BootstrapAttributes.Add(buffer, type, value);
        return [.. buffer];
    }

    [Fact]
    public void A_malformed_frame_is_refused_with_the_reason()
    {
        var valid = new BootstrapMessage(Clone.NEWNET, [(Clone.NEWIPC, "/proc/1/ns/ipc")]).Encode();
        LaunchProbe.Parse(valid[..^4]).Should().Equal("error malformed bootstrap message");
        LaunchProbe.Parse(Attribute(BootstrapAttributes.CloneFlags, [1, 0])).Should().Equal("error malformed clone flags attribute");
        LaunchProbe.Parse(Attribute(BootstrapAttributes.NsPath, [0, 0, 0, 0x40])).Should().Equal("error malformed namespace path attribute");
        LaunchProbe.Parse(Attribute(BootstrapAttributes.CgroupTasks, [])).Should().Equal("error malformed cgroup attribute");
        LaunchProbe.Parse(new CgroupMessage([], new string('a', 4096)).Encode()).Should().Equal("error malformed cgroup v2 attribute");
        // There is one v2 directory.
        LaunchProbe.Parse([.. Attribute(BootstrapAttributes.CgroupV2Dir, [(byte)'/']), .. Attribute(BootstrapAttributes.CgroupV2Dir, [(byte)'/'])])
            .Should().Equal("error malformed cgroup v2 attribute");
        LaunchProbe.Parse(Attribute(BootstrapAttributes.UidMap, [])).Should().Equal("error malformed id map attribute");
        LaunchProbe.Parse(Attribute(BootstrapAttributes.GidMap, new byte[4096])).Should().Equal("error malformed id map attribute");
        // One map of each kind.
        LaunchProbe.Parse([.. Attribute(BootstrapAttributes.UidMap, "0 1 1"u8.ToArray()), .. Attribute(BootstrapAttributes.UidMap, "0 1 1"u8.ToArray())])
            .Should().Equal("error malformed id map attribute");
        LaunchProbe.Parse(Attribute(99, [])).Should().Equal("error unknown bootstrap attribute 99");
    }

    [Fact]
    public void At_most_sixteen_namespace_paths_are_taken()
    {
        var paths = new List<(int, string)>();
        for (var i = 0; i < 16; i++) paths.Add((Clone.NEWNET, $"/n{i}"));
        LaunchProbe.Parse(new BootstrapMessage(0, paths).Encode()).Should().HaveCount(17);
        paths.Add((Clone.NEWNET, "/n16"));
        LaunchProbe.Parse(new BootstrapMessage(0, paths).Encode()).Should().Equal("error too many namespace paths");
    }

    [Fact]
    public void A_path_of_the_longest_length_is_taken_and_one_byte_more_refused()
    {
        var longest = "/" + new string('a', 4094);
        LaunchProbe.Parse(new CgroupMessage([longest], null).Encode()).Should().Equal($"tasks {longest}");
        LaunchProbe.Parse(new CgroupMessage([longest + "a"], null).Encode()).Should().Equal("error malformed cgroup attribute");
    }
}
