namespace LibContainer.Kernel;

/// <summary>Linux capability names (as config.json spells them) and their numbers.</summary>
public static class CapabilityNames
{
    private static readonly string[] Names =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
        "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
        "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
        "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
    ];

    public static int Count => Names.Length;

    public static string Name(int number) => Names[number];

    public static int? Number(string name)
    {
        var i = Array.IndexOf(Names, name.ToUpperInvariant());
        return i < 0 ? null : i;
    }

    /// <summary>A capability set as a 64-bit mask; unknown names are errors naming the field.</summary>
    public static ulong Mask(IEnumerable<string>? names, string where)
    {
        ulong mask = 0;
        foreach (var name in names ?? [])
        {
            var n = Number(name) ?? throw new ContainerError($"config.json: {where}: unknown capability \"{name}\"");
            mask |= 1UL << n;
        }
        return mask;
    }
}
