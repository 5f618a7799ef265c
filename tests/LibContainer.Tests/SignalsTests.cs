using LibContainer;
using LibContainer.Kernel;

namespace LibContainer.Tests;

public sealed class SignalsTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("9", 9)]
    [InlineData("15", 15)]
    [InlineData("64", 64)]
    [InlineData("KILL", 9)]
    [InlineData("SIGKILL", 9)]
    [InlineData("sigterm", 15)]
    [InlineData("term", 15)]
    [InlineData("SIGHUP", 1)]
    [InlineData("USR1", 10)]
    [InlineData("SIGUSR2", 12)]
    [InlineData("SIGCHLD", 17)]
    [InlineData("CLD", 17)]
    [InlineData("SIGIOT", 6)]
    [InlineData("POLL", 29)]
    [InlineData("WINCH", 28)]
    [InlineData("SIGSYS", 31)]
    [InlineData("RTMIN", 34)]
    [InlineData("RTMIN+2", 36)]
    [InlineData("sigrtmin+30", 64)]
    [InlineData("RTMAX", 64)]
    [InlineData("SIGRTMAX-1", 63)]
    [InlineData("RTMAX-30", 34)]
    public void Names_and_numbers_are_understood(string text, int number) => Signals.Parse(text).Should().Be(number);

    [Theory]
    [InlineData("65")]
    [InlineData("-1")]
    [InlineData("-9")]
    [InlineData("FOO")]
    [InlineData("SIGUSR5")]
    [InlineData("SIG")]
    [InlineData("")]
    [InlineData("RTMIN+31")]
    [InlineData("RTMAX-31")]
    [InlineData("RTMIN+x")]
    [InlineData("SIGSIGKILL")]
    [InlineData("SIG0")]
    public void Unknown_signals_are_errors_naming_the_input(string text)
    {
        var act = () => Signals.Parse(text);
        act.Should().Throw<ContainerError>().WithMessage($"unknown signal \"{text}\"");
    }

    [Theory]
    [InlineData("RTMAX--1")]
    [InlineData("RTMAX--3")]
    public void A_negative_realtime_offset_is_an_unknown_signal(string text)
    {
        var act = () => Signals.Parse(text);
        act.Should().Throw<ContainerError>().WithMessage($"unknown signal \"{text}\"");
    }
}
