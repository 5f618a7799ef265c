namespace LibContainer.Kernel;

/// <summary>mount_setattr(2)'s MOUNT_ATTR_* bits. The atime ones are one setting (an enum under ATIME_MASK), not bits.</summary>
internal static class MountAttr
{
    public const ulong RDONLY = 0x1, NOSUID = 0x2, NODEV = 0x4, NOEXEC = 0x8, ATIME_MASK = 0x70,
        RELATIME = 0x0, NOATIME = 0x10, STRICTATIME = 0x20, NODIRATIME = 0x80, NOSYMFOLLOW = 0x200000;
}
