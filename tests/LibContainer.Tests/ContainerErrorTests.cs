namespace LibContainer.Tests;

public sealed class IoErrorReasonTests
{
    [Fact]
    public void Reasons_are_strerror_words()
    {
        ContainerError.Reason(new DirectoryNotFoundException("Could not find a part of the path '/x'.")).Should().Be("No such file or directory");
        ContainerError.Reason(new UnauthorizedAccessException("Access to the path '/x' is denied.")).Should().Be("Permission denied");
        ContainerError.Reason(new IOException("Read-only file system : '/x'", 30)).Should().Be("Read-only file system");
        ContainerError.Reason(new IOException("something else")).Should().Be("something else");
    }
}
