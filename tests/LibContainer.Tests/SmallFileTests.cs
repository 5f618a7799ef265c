using LibContainer.Interop;

namespace LibContainer.Tests;

public sealed class SmallFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("smallfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(20000)]
    public void Reads_every_byte_whatever_the_size(int size)
    {
        var content = new byte[size];
        new Random(size).NextBytes(content);
        var path = Path.Combine(_dir, "f");
        File.WriteAllBytes(path, content);
        SmallFile.TryRead(path).Should().Equal(content);
        SmallFile.TryRead(path, regular: true).Should().Equal(content);
    }

    [Fact]
    public void A_missing_file_or_directory_is_null()
    {
        SmallFile.TryRead(Path.Combine(_dir, "none")).Should().BeNull();
        SmallFile.TryRead(Path.Combine(_dir, "none", "deeper")).Should().BeNull();
    }

    [Fact]
    public void A_proc_file_longer_than_one_read_comes_whole()
    {
        // /proc files are read a page at a time; mountinfo on a busy host is longer than that.
        var text = SmallFile.TryReadText("/proc/self/mountinfo");
        text.Should().NotBeNull().And.EndWith("\n");
        text!.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().OnlyContain(l => l.Contains(" - "));
    }
}
