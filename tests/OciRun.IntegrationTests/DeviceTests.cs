using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

public sealed class DeviceTests : ContainerTest
{
    [RootFact]
    public void The_default_devices_and_dev_symlinks_exist()
    {
        var id = NewId();
        var output = RunOk(NewBundle(id, "sh", "-c",
            "for d in null zero full random urandom tty; do stat -c '%n %F %t:%T %a' /dev/$d; done; for l in fd stdin stdout stderr ptmx; do echo $l $(readlink /dev/$l); done"), id);
        output.Should().Be(
            "/dev/null character special file 1:3 666\n" +
            "/dev/zero character special file 1:5 666\n" +
            "/dev/full character special file 1:7 666\n" +
            "/dev/random character special file 1:8 666\n" +
            "/dev/urandom character special file 1:9 666\n" +
            "/dev/tty character special file 5:0 666\n" +
            "fd /proc/self/fd\nstdin /proc/self/fd/0\nstdout /proc/self/fd/1\nstderr /proc/self/fd/2\nptmx pts/ptmx\n");
    }

    [RootFact]
    public void A_configured_device_exists_and_is_usable()
    {
        var id = NewId();
        var bundle = NewBundle(id, "sh", "-c", "stat -c '%F %t:%T %a %u:%g' /dev/mynull; echo data > /dev/mynull && echo written");
        bundle.Linux["devices"] = new JsonArray(new JsonObject
        {
            ["path"] = "/dev/mynull", ["type"] = "c", ["major"] = 1, ["minor"] = 3, ["fileMode"] = 0x1A0 /* 0640 */, ["uid"] = 0, ["gid"] = 5,
        });
        RunOk(bundle, id).Should().Be("character special file 1:3 640 0:5\nwritten\n");
    }

    [RootFact]
    public void The_devices_cgroup_blocks_a_device_the_config_does_not_allow()
    {
        var id = NewId();
        // mknod is allowed ("c *:* m" is a default rule), opening the disk is not.
        var bundle = NewBundle(id, "sh", "-c", "mknod /tmp/disk b 8 0 && head -c1 /tmp/disk 2>&1; head -c1 /dev/zero | wc -c");
        foreach (var set in new[] { "bounding", "effective", "permitted" })
            bundle.Process["capabilities"]![set]!.AsArray().Add("CAP_MKNOD");
        bundle.Mounts.Add(new JsonObject { ["destination"] = "/tmp", ["type"] = "tmpfs", ["source"] = "tmpfs" });
        var output = RunOk(bundle, id).Split('\n');
        output[0].Should().Contain("Operation not permitted");
        output[1].Trim().Should().Be("1");
    }
}
