namespace LibContainer.Cgroups.Systemd;

/// <summary>
/// What the property plan needs to know of the host: systemd's version (some
/// properties are newer than others), /proc/devices (DeviceAllow names a
/// major's devices by its group), and whether a device node's path exists.
/// </summary>
public sealed record SystemdFacts(int Version, string ProcDevices, Func<string, bool> DeviceExists)
{
    /// <summary>systemd takes CPUQuotaPeriodUSec from v242 on.</summary>
    public bool HasCpuQuotaPeriod => Version >= 242;

    /// <summary>systemd takes AllowedCPUs and AllowedMemoryNodes from v244 on.</summary>
    public bool HasAllowedCpus => Version >= 244;

    /// <summary>This host's: /proc/devices and /dev/{char,block} (or /sys/dev, when udev did not populate /dev).</summary>
    public static SystemdFacts OfHost(int version) => new(
        version,
        Interop.SmallFile.TryReadText("/proc/devices") ?? "",
        path => File.Exists(path) || File.Exists("/sys" + path) || Directory.Exists("/sys" + path));
}
