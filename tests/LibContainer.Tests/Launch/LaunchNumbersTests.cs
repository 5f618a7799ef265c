using System.Reflection;
using LibContainer.Launch;
using LibContainer.Processes;

namespace LibContainer.Tests.Launch;

/// <summary>
/// protocol.h is the one definition of the protocol's numbers; the C# copies must say the
/// same, every entry both ways (a number on one side only fails too).
/// </summary>
public sealed class LaunchNumbersTests
{
    // CHILD_PID -> ChildPid
    private static string Pascal(string cName) =>
        string.Concat(cName.Split('_').Select(w => w[..1] + w[1..].ToLowerInvariant()));

    private static List<(string Name, uint Number)> FromHeader(string kind) =>
        LaunchProbe.Protocol().Select(l => l.Split(' ')).Where(p => p[0] == kind)
            .Select(p => (Pascal(p[1]), uint.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture))).ToList();

    [Fact]
    public void Frame_types_are_the_headers()
    {
        var csharp = Enum.GetValues<FrameType>().Select(t => (t.ToString(), (uint)t)).ToList();
        csharp.Should().Equal(FromHeader("FRAME"));
    }

    [Fact]
    public void Attribute_types_are_the_headers()
    {
        var csharp = typeof(BootstrapAttributes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (f.Name, (uint)f.GetRawConstantValue()!)).OrderBy(a => a.Item2).ToList();
        csharp.Should().Equal(FromHeader("ATTR").OrderBy(a => a.Number));
    }

    [Fact]
    public void Environment_variables_are_the_headers()
    {
        var env = LaunchProbe.Protocol().Where(l => l.StartsWith("ENV ", StringComparison.Ordinal)).ToList();
        env.Should().Equal($"ENV BOOTSTRAP {ContainerInit.SyncFdVariable}", $"ENV SEALED {ContainerInit.SealedVariable}");
    }
}
