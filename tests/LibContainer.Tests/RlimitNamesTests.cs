using LibContainer.Kernel;

namespace LibContainer.Tests;

public sealed class RlimitNamesTests
{
    [Theory]
    [InlineData("RLIMIT_CPU", 0)]
    [InlineData("RLIMIT_CORE", 4)]
    [InlineData("RLIMIT_NPROC", 6)]
    [InlineData("RLIMIT_NOFILE", 7)]
    [InlineData("RLIMIT_MEMLOCK", 8)]
    [InlineData("RLIMIT_AS", 9)]
    [InlineData("RLIMIT_RTTIME", 15)]
    public void Names_have_the_kernels_numbers(string name, int number)
    {
        RlimitNames.Number(name).Should().Be(number);
    }

    [Theory]
    [InlineData("RLIMIT_BOGUS")]
    [InlineData("NOFILE")]
    [InlineData("rlimit_nofile")]
    [InlineData("")]
    public void Other_names_are_unknown(string name)
    {
        RlimitNames.Number(name).Should().BeNull();
    }
}
