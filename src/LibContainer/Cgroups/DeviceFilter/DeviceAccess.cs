namespace LibContainer.Cgroups.DeviceFilter;

/// <summary>A device type as the kernel's device checks number it (BPF_DEVCG_DEV_*, the same as cgroup v1's).</summary>
internal enum DeviceType : ushort
{
    Block = 1,
    Char = 2,
}

/// <summary>The access a process asks of a device (BPF_DEVCG_ACC_*, the same as cgroup v1's): open for read or write, mknod.</summary>
[Flags]
internal enum DeviceAccess : ushort
{
    None = 0,
    Mknod = 1,
    Read = 2,
    Write = 4,
    All = Mknod | Read | Write,
}
