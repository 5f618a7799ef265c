using System.Runtime.InteropServices;
using System.Text;

namespace LibContainer.Tests.Launch;

/// <summary>
/// The C stage seen from C: libocirun_launch_probe.so, built from Launch/probe.c and the
/// stage's own frame.c and protocol.h by the test project. Answers are lines of text.
/// </summary>
internal static partial class LaunchProbe
{
    private const string Library = "ocirun_launch_probe";

    [LibraryImport(Library)]
    private static partial int ocirun_probe_protocol(byte[] output, int size);

    [LibraryImport(Library)]
    private static partial int ocirun_probe_parse(byte[] payload, uint length, byte[] output, int size);

    /// <summary>protocol.h's numbers and names: "FRAME NAME N", "ATTR NAME N", "ENV NAME VALUE".</summary>
    public static string[] Protocol()
    {
        var output = new byte[64 << 10];
        return Lines(output, ocirun_probe_protocol(output, output.Length));
    }

    /// <summary>What the C stage's parser makes of a frame's payload: "clone_flags 0x..", "ns 0x.. PATH", "tasks PATH", "v2 PATH" or "error MESSAGE".</summary>
    public static string[] Parse(byte[] payload)
    {
        var output = new byte[1 << 20];
        return Lines(output, ocirun_probe_parse(payload, (uint)payload.Length, output, output.Length));
    }

    private static string[] Lines(byte[] output, int length)
    {
        length.Should().BeGreaterThanOrEqualTo(0, "the probe's answer fits its buffer");
        return Encoding.UTF8.GetString(output, 0, length).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
