using System.Buffers.Binary;
using System.Text;
using LibContainer.Interop;

namespace LibContainer.Network;

/// <summary>
/// linux.netDevices: a host network device moved into the container's network
/// namespace, renamed there if asked, as runc 1.3 does it: the device is set
/// down, moved and renamed in one request, its permanent addresses of global
/// scope (which the kernel drops at the move) are added again inside, and it
/// is set up. When the namespace goes, the kernel destroys a virtual device
/// and gives a physical one back to the host.
/// </summary>
internal static class NetDeviceMover
{
    private const ushort IflaIfname = 3, IflaNetNsFd = 28;
    private const ushort IfaAddress = 1, IfaLocal = 2, IfaBroadcast = 4, IfaFlags = 8;
    private const uint IffUp = 1, IfaFPermanent = 0x80;
    private const byte RtScopeUniverse = 0;

    private sealed record Address(byte Family, byte PrefixLength, Dictionary<ushort, byte[]> Attributes);

    /// <summary>Moves each device (host name, name inside) into the network namespace of process `pid`.</summary>
    public static void MoveAll(IReadOnlyDictionary<string, Spec.NetDevice> devices, int pid)
    {
        using var netns = Fd.Open($"/proc/{pid}/ns/net", O.RDONLY);
        foreach (var (hostName, device) in devices)
            Move(hostName, string.IsNullOrEmpty(device.Name) ? hostName : device.Name, netns);
    }

    private static void Move(string hostName, string name, Fd netns)
    {
        var field = $"linux.netDevices[\"{hostName}\"]";
        var index = (int)LibC.if_nametoindex(hostName);
        if (index == 0) throw new ContainerError($"{field}: the host has no network device {hostName}");
        List<Address> addresses;
        using (var host = RtNetlink.Open())
        {
            host.Call(RtNetlink.NewLink, 0, LinkMessage(index, flags: 0, change: IffUp, []), $"{field}: set {hostName} down");
            addresses = AddressesOf(host, index, $"{field}: list {hostName}'s addresses");
            var attributes = new List<byte>();
            RtNetlink.AddAttribute(attributes, IflaIfname, [.. Encoding.ASCII.GetBytes(name), 0]);
            RtNetlink.AddAttribute(attributes, IflaNetNsFd, BitConverter.GetBytes(netns.Value));
            host.Call(RtNetlink.NewLink, 0, LinkMessage(index, 0, 0, [.. attributes]), $"{field}: move {hostName} into the container's network namespace as {name}");
        }
        InNamespace(netns, () =>
        {
            var inside = (int)LibC.if_nametoindex(name);
            if (inside == 0) throw new ContainerError($"{field}: {name} is not in the container's network namespace after the move");
            using var container = RtNetlink.Open();
            foreach (var a in addresses)
                container.Call(RtNetlink.NewAddr, RtNetlink.Create | RtNetlink.Excl, AddressMessage(a, inside), $"{field}: add an address of {hostName} to {name}");
            container.Call(RtNetlink.NewLink, 0, LinkMessage(inside, IffUp, IffUp, []), $"{field}: set {name} up");
        });
    }

    // The device's permanent, global addresses: the ones runc carries over (others are the host's or short-lived).
    private static List<Address> AddressesOf(RtNetlink netlink, int index, string what)
    {
        var addresses = new List<Address>();
        foreach (var payload in netlink.DumpAll(RtNetlink.GetAddr, new byte[8], what))
        {
            if (payload.Length < 8 || BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(4)) != index) continue;
            var attributes = RtNetlink.Attributes(payload, 8);
            var flags = attributes.TryGetValue(IfaFlags, out var wide) && wide.Length == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(wide) : payload[2];
            if ((flags & IfaFPermanent) == 0 || payload[3] != RtScopeUniverse) continue;
            var kept = new Dictionary<ushort, byte[]>();
            foreach (var type in new[] { IfaLocal, IfaAddress, IfaBroadcast })
                if (attributes.TryGetValue(type, out var value)) kept[type] = value;
            addresses.Add(new Address(payload[0], payload[1], kept));
        }
        return addresses;
    }

    // ifinfomsg: family, pad, type, index, flags, change; then attributes.
    private static byte[] LinkMessage(int index, uint flags, uint change, byte[] attributes)
    {
        var message = new byte[16 + attributes.Length];
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(4), index);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(12), change);
        attributes.CopyTo(message, 16);
        return message;
    }

    // ifaddrmsg: family, prefix length, flags, scope, index; then the address attributes.
    private static byte[] AddressMessage(Address a, int index)
    {
        var buffer = new List<byte> { a.Family, a.PrefixLength, 0, RtScopeUniverse };
        buffer.AddRange(BitConverter.GetBytes(index));
        foreach (var (type, value) in a.Attributes) RtNetlink.AddAttribute(buffer, type, value);
        return [.. buffer];
    }

    /// <summary>
    /// Runs `action` on a thread of its own in the network namespace `netns`
    /// (setns changes only the calling thread's), which is back in the
    /// runtime's namespace, or ended, after it.
    /// </summary>
    private static void InNamespace(Fd netns, Action action)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            using var own = Fd.Open("/proc/thread-self/ns/net", O.RDONLY);
            try
            {
                Syscall.Check(LibC.setns(netns.Value, Clone.NEWNET), "join the container's network namespace");
                action();
            }
            catch (Exception e) { failure = e; }
            finally
            {
                LibC.setns(own.Value, Clone.NEWNET); // and should that fail, the thread ends right after anyway
            }
        });
        thread.Start();
        thread.Join();
        if (failure is ContainerError error) throw error;
        if (failure is not null) throw new ContainerError($"moving a network device: {failure.Message}");
    }
}
