using LibContainer;
using LibContainer.Rootfs;
using MS = LibContainer.Interop.MS;

namespace LibContainer.Tests;

public sealed class MountOptionsTests
{
    [Fact]
    public void Flags_propagation_and_data_are_split()
    {
        var o = MountOptions.Parse(["nosuid", "rbind", "ro", "rslave", "mode=755", "size=65536k", "private"], "m");
        o.Flags.Should().Be(MS.NOSUID | MS.BIND | MS.REC | MS.RDONLY);
        o.IsBind.Should().BeTrue();
        o.Propagation.Should().Equal(MS.SLAVE | MS.REC, MS.PRIVATE);
        o.Data.Should().Be("mode=755,size=65536k");
    }

    [Fact]
    public void A_later_option_wins()
    {
        MountOptions.Parse(["ro", "rw"], "m").Flags.Should().Be(0);
        MountOptions.Parse(["rw", "ro"], "m").Flags.Should().Be(MS.RDONLY);
        MountOptions.Parse(["nosuid", "suid", "noexec"], "m").Flags.Should().Be(MS.NOEXEC);
    }

    [Fact]
    public void No_options_is_an_empty_mount()
    {
        var o = MountOptions.Parse(null, "m");
        o.Flags.Should().Be(0);
        o.Propagation.Should().BeEmpty();
        o.Data.Should().BeEmpty();
    }

    [Theory]
    [InlineData("idmap")]
    [InlineData("rro")]
    [InlineData("tmpcopyup")]
    public void An_option_not_supported_yet_is_an_error_naming_it(string option)
    {
        var act = () => MountOptions.Parse(["nosuid", option], "mounts[3].options");
        act.Should().Throw<ContainerError>().Which.Message.Should().Contain("mounts[3].options").And.Contain($"\"{option}\"");
    }

    [Theory]
    [InlineData("rprivate", MS.PRIVATE | MS.REC)]
    [InlineData("shared", MS.SHARED)]
    [InlineData("runbindable", MS.UNBINDABLE | MS.REC)]
    public void Propagation_names_map_to_flags(string name, ulong flags)
    {
        MountOptions.ParsePropagation(name).Should().Be(flags);
    }

    [Fact]
    public void An_unknown_propagation_is_null()
    {
        MountOptions.ParsePropagation("sideways").Should().BeNull();
    }
}
