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
    public void The_default_spec_is_runcs_except_for_the_terminal()
    {
        var spec = DefaultSpec.Create();
        spec.Process!.Terminal.Should().BeFalse();
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
}
