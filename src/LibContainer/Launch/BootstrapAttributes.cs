namespace LibContainer.Launch;

/// <summary>
/// The attribute list of the frames the C stage reads (see protocol.h): u32 type, u32 length, value padded to 4 bytes.
/// The numbers are protocol.h's (checked by LaunchNumbersTests).
/// </summary>
internal static class BootstrapAttributes
{
    public const uint CloneFlags = 1, NsPath = 2, UidMap = 3, GidMap = 4, CgroupTasks = 5, CgroupV2Dir = 6, TimeOffsets = 7;

    public static void Add(List<byte> buffer, uint type, byte[] value)
    {
        buffer.AddRange(BitConverter.GetBytes(type));
        buffer.AddRange(BitConverter.GetBytes((uint)value.Length));
        buffer.AddRange(value);
        while (buffer.Count % 4 != 0) buffer.Add(0);
    }
}
