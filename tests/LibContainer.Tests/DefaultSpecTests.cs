using System.Text.Json.Nodes;
using LibContainer.Kernel;
using LibContainer.Spec;
using LibContainer.Validation;

namespace LibContainer.Tests;

public sealed class DefaultSpecTests
{
    [Fact]
    public void The_default_spec_has_no_problem_at_all()
    {
        SpecValidator.Problems(DefaultSpec.Create()).Should().BeEmpty();
    }

    [Fact]
    public void The_default_spec_is_runcs_with_a_terminal()
    {
        var spec = DefaultSpec.Create();
        spec.Process!.Terminal.Should().BeTrue("runc spec writes \"terminal\": true");
        spec.Process.ConsoleSize.Should().BeNull();
        spec.Process.Args.Should().Equal("sh");
        spec.Process.Cwd.Should().Be("/");
        spec.Root.Should().Be(new Root { Path = "rootfs", Readonly = true });
        spec.Linux!.Namespaces!.Select(n => n.Type).Should().Equal("pid", "network", "ipc", "uts", "mount", "cgroup");
        spec.Linux.Resources!.Devices.Should().Equal(new DeviceRule { Allow = false, Access = "rwm" });
    }

    [Fact]
    public void Every_default_mount_has_options_the_runtime_understands()
    {
        foreach (var (mount, i) in DefaultSpec.Create().Mounts!.Select((m, i) => (m, i)))
        {
            var act = () => MountOptions.Parse(mount.Options, $"mounts[{i}].options");
            act.Should().NotThrow();
        }
    }

    [Fact]
    public void The_example_bundles_config_is_the_default_spec_with_its_own_args_and_no_terminal()
    {
        // README's example: what `oci-run spec` writes, with process.args changed and no terminal (it runs
        // wherever the script does, a terminal or not). Keeps the two from drifting.
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OciRun.sln"))) dir = dir.Parent;
        var example = JsonNode.Parse(File.ReadAllText(Path.Combine(dir!.FullName, "bundles", "busybox", "config.json")))!;
        var expected = JsonNode.Parse(DefaultSpec.Json)!;
        expected["process"]!["args"] = example["process"]!["args"]!.DeepClone();
        expected["process"]!["terminal"] = false;
        JsonNode.DeepEquals(example, expected).Should().BeTrue("bundles/busybox/config.json is `oci-run spec` with process.args changed and terminal false, nothing else");
    }
}
