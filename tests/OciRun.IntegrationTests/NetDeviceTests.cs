using System.Text.Json.Nodes;
using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

/// <summary>
/// linux.netDevices (runc 1.3; runc 1.1.5 has no such field): a host device
/// (one end of a veth pair made by the test) moves into the container's network
/// namespace under its new name, with its IPv4 address, and is up there; it is
/// gone from the host.
/// </summary>
public sealed class NetDeviceTests : ContainerTest
{
    [RootFact]
    public void A_host_device_moves_into_the_container_renamed_with_its_address()
    {
        var id = NewId();
        var (device, peer) = ($"ocnd{Environment.ProcessId % 10000}a", $"ocnd{Environment.ProcessId % 10000}b");
        var made = Runtime.Shell($"ip link add {device} type veth peer name {peer} && ip addr add 10.231.7.1/24 dev {device} && ip link set {device} up");
        Skip.If(made.ExitCode != 0, $"no veth pair here: {made.Stderr}");
        try
        {
            var bundle = NewBundle(id, "sh", "-c", "ip -4 addr show eth9; cat /sys/class/net/eth9/flags");
            bundle.Linux["netDevices"] = new JsonObject { [device] = new JsonObject { ["name"] = "eth9" } };
            var inside = RunOk(bundle, id);
            inside.Should().Contain("inet 10.231.7.1/24", "the device's permanent global address came along");
            inside.Should().MatchRegex(@"eth9[@:]", "it is named eth9 inside");
            (Convert.ToUInt32(inside.Trim().Split('\n')[^1], 16) & 1).Should().Be(1, "it is up (IFF_UP)");
            Runtime.Shell($"ip link show {device}").ExitCode.Should().NotBe(0, "the device left the host (and, a veth, died with the container's namespace)");
        }
        finally
        {
            Runtime.Shell($"ip link del {device} 2>/dev/null; ip link del {peer} 2>/dev/null; true");
        }
    }

    [RootFact]
    public void A_device_the_host_lacks_is_refused_by_name_and_nothing_is_left()
    {
        var id = NewId();
        var bundle = NewBundle(id, "true");
        bundle.Linux["netDevices"] = new JsonObject { ["ocnd-none"] = new JsonObject() };
        var result = RunContainer(bundle, id);
        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain("linux.netDevices[\"ocnd-none\"]: the host has no network device ocnd-none");
        Runtime.Run("state", id).ExitCode.Should().NotBe(0, "nothing is left");
    }
}
