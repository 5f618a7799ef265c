using LibContainer.State;

namespace LibContainer.Tests;

public sealed class ProcessProbeTests
{
    [Fact]
    public void A_real_stat_line_gives_the_state_and_field_22()
    {
        // /proc/PID/stat of `sleep` copied to a file named "my (odd) cmd".
        const string stat = "19328 (my (odd) cmd) S 19327 19323 5033 0 -1 4194304 135 0 0 0 0 0 0 0 20 0 1 0 632667 2990080 393 "
            + "18446744073709551615 94522525798400 94522525816329 140722820450240 0 0 0 0 6 0 1 0 0 17 0 0 0 0 0 0 94522525830416 "
            + "94522525831680 94522847735808 140722820454675 140722820454695 140722820454695 140722820456422 0\n";
        ProcessProbe.Parse(stat).Should().Be(('S', 632667UL));
    }

    [Fact]
    public void A_command_that_fakes_the_next_fields_does_not_fool_the_parser()
    {
        // comm is attacker-chosen (prctl PR_SET_NAME): "x) R 1 2 (y" must not shift the fields.
        const string stat = "77 (x) R 1 2 (y) Z 1 77 77 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000000 100 18446744073709551615";
        ProcessProbe.Parse(stat).Should().Be(('Z', 987654UL));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("12 (sh) S 1 2 3")]
    [InlineData("12 (sh) S 1 12 12 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 notanumber 100")]
    public void A_line_without_a_start_time_gives_nothing(string stat)
    {
        ProcessProbe.Parse(stat).Should().BeNull();
    }

    [Fact]
    public void This_process_is_alive_and_a_wrong_start_time_is_not_it()
    {
        var me = ProcessProbe.Read(Environment.ProcessId)!.Value;
        me.State.Should().BeOneOf('R', 'S');
        ProcessProbe.IsSameAlive(Environment.ProcessId, me.StartTime).Should().BeTrue();
        ProcessProbe.IsSameAlive(Environment.ProcessId, me.StartTime + 1).Should().BeFalse("a reused PID has another start time");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void No_pid_is_no_process(int pid)
    {
        ProcessProbe.Read(pid).Should().BeNull();
        ProcessProbe.IsSameAlive(pid, 0).Should().BeFalse();
    }
}
