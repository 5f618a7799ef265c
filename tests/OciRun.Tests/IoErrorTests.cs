namespace OciRun.Tests;

public sealed class IoErrorTests
{
    [Fact]
    public void Reasons_are_strerror_words()
    {
        IoError.Reason(new DirectoryNotFoundException("Could not find a part of the path '/x'.")).Should().Be("No such file or directory");
        IoError.Reason(new UnauthorizedAccessException("Access to the path '/x' is denied.")).Should().Be("Permission denied");
        IoError.Reason(new IOException("Read-only file system : '/x'", 30)).Should().Be("Read-only file system");
        IoError.Reason(new IOException("something else")).Should().Be("something else");
    }
}
