using LibContainer.Security;
using LibContainer.Spec;

namespace LibContainer.Tests;

/// <summary>How AppArmor and SELinux labels reach the kernel, as runc writes them (only the plan can be checked on a host without either module).</summary>
public sealed class SecurityLabelsTests
{
    [Fact]
    public void An_apparmor_profile_is_a_change_onexec_through_the_per_lsm_file_first()
    {
        var write = SecurityLabels.For(new Process { ApparmorProfile = "docker-default" }).Should().ContainSingle().Subject;
        write.Files.Should().Equal("self/attr/apparmor/exec", "self/attr/exec");
        write.Value.Should().Be("exec docker-default");
        write.Field.Should().Be("process.apparmorProfile");
    }

    [Fact]
    public void An_selinux_label_is_the_exec_attribute_of_the_thread_that_execs()
    {
        var write = SecurityLabels.For(new Process { SelinuxLabel = "system_u:system_r:container_t:s0:c1,c2" }).Should().ContainSingle().Subject;
        write.Files.Should().Equal("thread-self/attr/exec");
        write.Value.Should().Be("system_u:system_r:container_t:s0:c1,c2");
    }

    [Fact]
    public void No_label_writes_nothing()
    {
        SecurityLabels.For(new Process { ApparmorProfile = "", SelinuxLabel = null }).Should().BeEmpty();
    }

    [Theory]
    [InlineData("", "tmpfs", "context=\"system_u:object_r:container_file_t:s0\"")]
    [InlineData("mode=755,size=65536k", "tmpfs", "mode=755,size=65536k,context=\"system_u:object_r:container_file_t:s0\"")]
    [InlineData("newinstance,ptmxmode=0666", "devpts", "newinstance,ptmxmode=0666,context=\"system_u:object_r:container_file_t:s0\"")]
    [InlineData("", "proc", "")]
    [InlineData("", "sysfs", "")]
    [InlineData("", "mqueue", "")]
    public void The_mount_label_is_a_context_option_where_runc_puts_one(string data, string fsType, string expected)
    {
        SecurityLabels.WithMountLabel(data, "system_u:object_r:container_file_t:s0", fsType).Should().Be(expected);
        SecurityLabels.WithMountLabel(data, null, fsType).Should().Be(data);
    }

    [Fact]
    public void The_rootfs_plan_labels_a_tmpfs_but_not_a_bind()
    {
        var spec = new RuntimeSpec
        {
            Root = new Root { Path = "rootfs" },
            Process = new Process { Args = ["sh"], Cwd = "/" },
            Mounts = [new Mount { Destination = "/tmp", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid"] },
                      new Mount { Destination = "/data", Type = "bind", Source = "/host", Options = ["rbind"] }],
            Linux = new Linux { MountLabel = "l" },
        };
        var plan = Rootfs.RootfsPlan.For(spec, "/b", noPivot: false);
        plan.Mounts[0].Options.Data.Should().Be("context=\"l\"");
        plan.Mounts[1].Options.Data.Should().BeEmpty();
    }
}
