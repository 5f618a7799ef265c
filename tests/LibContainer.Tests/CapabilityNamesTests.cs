using LibContainer;
using LibContainer.Kernel;

namespace LibContainer.Tests;

public sealed class CapabilityNamesTests
{
    [Theory]
    [InlineData("CAP_CHOWN", 0)]
    [InlineData("CAP_KILL", 5)]
    [InlineData("CAP_NET_BIND_SERVICE", 10)]
    [InlineData("CAP_SYS_ADMIN", 21)]
    [InlineData("CAP_AUDIT_WRITE", 29)]
    [InlineData("CAP_PERFMON", 38)]
    [InlineData("CAP_BPF", 39)]
    [InlineData("CAP_CHECKPOINT_RESTORE", 40)]
    [InlineData("cap_kill", 5)]
    public void Names_have_the_kernels_numbers(string name, int number)
    {
        CapabilityNames.Number(name).Should().Be(number);
    }

    [Theory]
    [InlineData("KILL")]
    [InlineData("CAP_FLY")]
    [InlineData("")]
    public void Unknown_names_have_no_number(string name)
    {
        CapabilityNames.Number(name).Should().BeNull();
    }

    [Fact]
    public void Every_capability_up_to_checkpoint_restore_is_known()
    {
        CapabilityNames.Count.Should().Be(41);
    }

    [Fact]
    public void The_default_set_becomes_its_mask()
    {
        CapabilityNames.Mask(["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"], "process.capabilities.bounding")
            .Should().Be((1UL << 29) | (1UL << 5) | (1UL << 10));
    }

    [Fact]
    public void The_highest_capability_fits_the_mask()
    {
        CapabilityNames.Mask(["CAP_CHECKPOINT_RESTORE"], "x").Should().Be(1UL << 40);
    }

    [Fact]
    public void A_repeated_name_counts_once_and_no_names_is_an_empty_set()
    {
        CapabilityNames.Mask(["CAP_KILL", "CAP_KILL"], "x").Should().Be(1UL << 5);
        CapabilityNames.Mask([], "x").Should().Be(0);
        CapabilityNames.Mask(null, "x").Should().Be(0);
    }

    [Fact]
    public void An_unknown_name_is_an_error_naming_the_field_and_the_name()
    {
        var act = () => CapabilityNames.Mask(["CAP_KILL", "CAP_FLY"], "process.capabilities.effective");
        act.Should().Throw<ContainerError>()
            .WithMessage("config.json: process.capabilities.effective: unknown capability \"CAP_FLY\"");
    }
}
