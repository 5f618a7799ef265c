using LibContainer;
using LibContainer.Kernel;
using MS = LibContainer.Interop.MS;

namespace LibContainer.Tests;

public sealed class MountOptionsTests
{
    private static MountOptions Parse(params string[] options) => MountOptions.Parse(options, "mounts[0].options");

    [Theory]
    [InlineData("ro", MS.RDONLY)]
    [InlineData("nosuid", MS.NOSUID)]
    [InlineData("nodev", MS.NODEV)]
    [InlineData("noexec", MS.NOEXEC)]
    [InlineData("bind", MS.BIND)]
    [InlineData("rbind", MS.BIND | MS.REC)]
    [InlineData("relatime", MS.RELATIME)]
    [InlineData("strictatime", MS.STRICTATIME)]
    [InlineData("noatime", MS.NOATIME)]
    [InlineData("sync", MS.SYNCHRONOUS)]
    [InlineData("remount", MS.REMOUNT)]
    [InlineData("nosymfollow", MS.NOSYMFOLLOW)]
    public void A_flag_option_sets_its_mount_flag(string option, ulong flag)
    {
        var o = Parse(option);
        o.Flags.Should().Be(flag);
        o.ClearedFlags.Should().Be(0);
        o.Data.Should().BeEmpty();
        o.Propagation.Should().BeEmpty();
    }

    [Fact]
    public void Rbind_is_a_recursive_bind()
    {
        var o = Parse("rbind");
        o.IsBind.Should().BeTrue();
        (o.Flags & MS.REC).Should().Be(MS.REC);
        Parse("bind").Flags.Should().Be(MS.BIND, "a plain bind is not recursive");
        Parse("tmpfs-like", "nosuid").IsBind.Should().BeFalse();
    }

    [Fact]
    public void Flags_accumulate()
    {
        Parse("nosuid", "nodev", "noexec", "ro").Flags.Should().Be(MS.NOSUID | MS.NODEV | MS.NOEXEC | MS.RDONLY);
    }

    [Fact]
    public void Rw_clears_read_only()
    {
        var o = Parse("rw");
        o.Flags.Should().Be(0);
        o.ClearedFlags.Should().Be(MS.RDONLY, "a remount must know to drop MS_RDONLY");
    }

    [Theory]
    [InlineData(new[] { "ro", "rw" }, 0UL, MS.RDONLY)]
    [InlineData(new[] { "rw", "ro" }, MS.RDONLY, 0UL)]
    [InlineData(new[] { "nosuid", "suid", "noexec" }, MS.NOEXEC, MS.NOSUID)]
    [InlineData(new[] { "exec", "noexec" }, MS.NOEXEC, 0UL)]
    [InlineData(new[] { "nodev", "dev" }, 0UL, MS.NODEV)]
    [InlineData(new[] { "atime", "noatime" }, MS.NOATIME, 0UL)]
    public void A_later_option_wins(string[] options, ulong flags, ulong cleared)
    {
        var o = Parse(options);
        o.Flags.Should().Be(flags);
        o.ClearedFlags.Should().Be(cleared);
    }

    [Fact]
    public void Defaults_sets_nothing()
    {
        var o = Parse("defaults");
        o.Flags.Should().Be(0);
        o.Data.Should().BeEmpty("\"defaults\" is not a filesystem option");
    }

    [Fact]
    public void Propagation_options_are_kept_in_order_and_out_of_the_flags()
    {
        var o = Parse("rbind", "rprivate", "shared", "rslave", "unbindable");
        o.Flags.Should().Be(MS.BIND | MS.REC);
        o.Propagation.Should().Equal(MS.PRIVATE | MS.REC, MS.SHARED, MS.SLAVE | MS.REC, MS.UNBINDABLE);
    }

    [Fact]
    public void Unknown_options_become_the_data_string_in_order()
    {
        var o = Parse("nosuid", "strictatime", "mode=755", "size=65536k");
        o.Flags.Should().Be(MS.NOSUID | MS.STRICTATIME);
        o.Data.Should().Be("mode=755,size=65536k");
    }

    [Fact]
    public void Devpts_options_from_the_default_spec_split_into_flags_and_data()
    {
        var o = Parse("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5");
        o.Flags.Should().Be(MS.NOSUID | MS.NOEXEC);
        o.Data.Should().Be("newinstance,ptmxmode=0666,mode=0620,gid=5");
    }

    [Fact]
    public void No_options_is_an_empty_mount()
    {
        var o = MountOptions.Parse(null, "mounts[0].options");
        o.Flags.Should().Be(0);
        o.ClearedFlags.Should().Be(0);
        o.Propagation.Should().BeEmpty();
        o.Data.Should().BeEmpty();
    }

    [Fact]
    public void Tmpcopyup_is_the_runtimes_not_the_kernels()
    {
        var options = MountOptions.Parse(["nosuid", "tmpcopyup", "mode=755"], "mounts[0].options");
        options.CopyUp.Should().BeTrue();
        options.Data.Should().Be("mode=755", "the kernel never sees it");
        MountOptions.Known.Should().Contain("tmpcopyup", "features lists it");
        MountOptions.Parse(["nosuid"], "mounts[0].options").CopyUp.Should().BeFalse();
    }

    [Theory]
    [InlineData("idmap")]
    [InlineData("ridmap")]
    public void An_option_not_supported_yet_is_an_error_naming_it_and_the_field(string option)
    {
        var act = () => MountOptions.Parse(["nosuid", option], "mounts[3].options");
        act.Should().Throw<ContainerError>()
            .WithMessage($"config.json: mounts[3].options: mount option \"{option}\" is not supported yet");
    }

    [Theory]
    [InlineData("private", MS.PRIVATE)]
    [InlineData("rprivate", MS.PRIVATE | MS.REC)]
    [InlineData("shared", MS.SHARED)]
    [InlineData("rshared", MS.SHARED | MS.REC)]
    [InlineData("slave", MS.SLAVE)]
    [InlineData("rslave", MS.SLAVE | MS.REC)]
    [InlineData("unbindable", MS.UNBINDABLE)]
    [InlineData("runbindable", MS.UNBINDABLE | MS.REC)]
    public void ParsePropagation_maps_each_name_to_its_flags(string name, ulong flags)
    {
        MountOptions.ParsePropagation(name).Should().Be(flags);
    }

    [Theory]
    [InlineData("sideways")]
    [InlineData("")]
    [InlineData("ro")]
    [InlineData("RPRIVATE")]
    public void ParsePropagation_of_anything_else_is_null(string name)
    {
        MountOptions.ParsePropagation(name).Should().BeNull();
    }

    // ---- recursive options: mount_setattr attributes ----

    [Theory]
    [InlineData("rro", MountAttr.RDONLY, 0UL)]
    [InlineData("rrw", 0UL, MountAttr.RDONLY)]
    [InlineData("rnosuid", MountAttr.NOSUID, 0UL)]
    [InlineData("rsuid", 0UL, MountAttr.NOSUID)]
    [InlineData("rnodev", MountAttr.NODEV, 0UL)]
    [InlineData("rdev", 0UL, MountAttr.NODEV)]
    [InlineData("rnoexec", MountAttr.NOEXEC, 0UL)]
    [InlineData("rexec", 0UL, MountAttr.NOEXEC)]
    [InlineData("rnodiratime", MountAttr.NODIRATIME, 0UL)]
    [InlineData("rdiratime", 0UL, MountAttr.NODIRATIME)]
    [InlineData("rnosymfollow", MountAttr.NOSYMFOLLOW, 0UL)]
    [InlineData("rsymfollow", 0UL, MountAttr.NOSYMFOLLOW)]
    [InlineData("rnoatime", MountAttr.NOATIME, MountAttr.ATIME_MASK)]
    [InlineData("rstrictatime", MountAttr.STRICTATIME, MountAttr.ATIME_MASK)]
    [InlineData("rrelatime", MountAttr.RELATIME, MountAttr.ATIME_MASK)]
    [InlineData("ratime", MountAttr.RELATIME, MountAttr.ATIME_MASK)]
    [InlineData("rnostrictatime", MountAttr.RELATIME, MountAttr.ATIME_MASK)]
    [InlineData("rnorelatime", MountAttr.STRICTATIME, MountAttr.ATIME_MASK)]
    public void A_recursive_option_is_a_mount_attribute_to_set_or_clear(string option, ulong set, ulong clear)
    {
        var o = Parse(option);
        o.RecursiveSet.Should().Be(set);
        o.RecursiveClear.Should().Be(clear);
        o.RecursiveOptions.Should().Equal(option);
        o.Flags.Should().Be(0, "a recursive option is not a mount(2) flag");
        o.ClearedFlags.Should().Be(0);
        o.Data.Should().BeEmpty();
    }

    [Fact]
    public void Recursive_options_accumulate_beside_the_flags()
    {
        var o = Parse("rbind", "rro", "nosuid", "rnoexec", "rnodev");
        o.Flags.Should().Be(MS.BIND | MS.REC | MS.NOSUID);
        o.RecursiveSet.Should().Be(MountAttr.RDONLY | MountAttr.NOEXEC | MountAttr.NODEV);
        o.RecursiveClear.Should().Be(0);
        o.RecursiveOptions.Should().Equal("rro", "rnoexec", "rnodev");
    }

    [Theory]
    [InlineData(new[] { "rro", "rrw" }, 0UL, MountAttr.RDONLY)]
    [InlineData(new[] { "rrw", "rro" }, MountAttr.RDONLY, 0UL)]
    [InlineData(new[] { "rnoatime", "rstrictatime" }, MountAttr.STRICTATIME, MountAttr.ATIME_MASK)]
    [InlineData(new[] { "rnoatime", "rnodev", "rrelatime" }, MountAttr.NODEV | MountAttr.RELATIME, MountAttr.ATIME_MASK)]
    public void A_later_recursive_option_wins(string[] options, ulong set, ulong clear)
    {
        var o = Parse(options);
        o.RecursiveSet.Should().Be(set);
        o.RecursiveClear.Should().Be(clear);
    }

    [Fact]
    public void Plain_options_have_no_recursive_part()
    {
        var o = Parse("rbind", "ro", "nosuid");
        o.RecursiveOptions.Should().BeEmpty();
        o.RecursiveSet.Should().Be(0);
        o.RecursiveClear.Should().Be(0);
    }

    [Fact]
    public void Every_recursive_option_is_known_to_features()
    {
        MountOptions.Known.Should().Contain(["rro", "rrw", "rnosuid", "rsuid", "rnodev", "rdev", "rnoexec", "rexec", "rnoatime", "ratime",
            "rnodiratime", "rdiratime", "rrelatime", "rnorelatime", "rstrictatime", "rnostrictatime", "rnosymfollow", "rsymfollow",
            "nosymfollow", "symfollow"]);
        MountOptions.Known.Should().NotContain("ridmap");
    }

    [Fact]
    public void Flags_as_attributes_translate_the_cgroup_mount_defaults()
    {
        var (set, clear) = Parse("nosuid", "noexec", "nodev", "relatime", "ro").FlagsAsAttributes();
        set.Should().Be(MountAttr.NOSUID | MountAttr.NOEXEC | MountAttr.NODEV | MountAttr.RELATIME | MountAttr.RDONLY);
        clear.Should().Be(MountAttr.ATIME_MASK, "an atime setting replaces the one the mount had");
    }

    [Fact]
    public void Flags_as_attributes_clear_what_the_config_clears_and_leave_atime_alone_unless_asked()
    {
        var (set, clear) = Parse("rw", "suid", "nodev", "nosymfollow").FlagsAsAttributes();
        set.Should().Be(MountAttr.NODEV | MountAttr.NOSYMFOLLOW);
        clear.Should().Be(MountAttr.RDONLY | MountAttr.NOSUID);
        Parse("noatime").FlagsAsAttributes().Should().Be((MountAttr.NOATIME, MountAttr.ATIME_MASK));
    }
}
