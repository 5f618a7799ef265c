using LibContainer.Tests.Cgroups;
using LibContainer.Cgroups.Limits;

namespace LibContainer.Tests.Limits;

public sealed class LimitWriterTests
{
    private readonly FakeCgroupFiles _files = new();

    private LimitWriter Writer() => new(_files, controller => $"/cg/{controller}");

    [Fact]
    public void Writes_each_value_in_order_to_its_controller_directory()
    {
        _files.Files["/cg/pids/pids.max"] = "max";
        _files.Files["/cg/memory/memory.limit_in_bytes"] = "9223372036854771712";
        Writer().Apply([new("pids", "pids.max", "10", "f1"), new("memory", "memory.limit_in_bytes", "1048576", "f2")], restoreOnFailure: false);
        _files.Attempts.Should().Equal("write /cg/pids/pids.max 10", "write /cg/memory/memory.limit_in_bytes 1048576");
    }

    [Fact]
    public void A_failed_write_names_the_field_and_the_kernel_reason()
    {
        _files.Files["/cg/cpu/cpu.cfs_quota_us"] = "-1";
        _files.WriteErrors["/cg/cpu/cpu.cfs_quota_us"] = 22;
        FluentActions.Invoking(() => Writer().Apply([new("cpu", "cpu.cfs_quota_us", "1", "linux.resources.cpu.quota")], false))
            .Should().Throw<ContainerError>().WithMessage("linux.resources.cpu.quota: write \"1\" to /cg/cpu/cpu.cfs_quota_us: Invalid argument");
    }

    [Fact]
    public void An_update_that_fails_puts_the_previous_values_back()
    {
        _files.Files["/cg/memory/memory.limit_in_bytes"] = "268435456\n";
        _files.Files["/cg/pids/pids.max"] = "100\n";
        _files.WriteErrors["/cg/cpu/cpu.shares"] = 22;
        _files.Files["/cg/cpu/cpu.shares"] = "1024";
        var act = () => Writer().Apply([
            new("memory", "memory.limit_in_bytes", "134217728", "m"), new("pids", "pids.max", "50", "p"), new("cpu", "cpu.shares", "7", "linux.resources.cpu.shares")], restoreOnFailure: true);
        act.Should().Throw<ContainerError>().WithMessage("linux.resources.cpu.shares: write \"7\" to /cg/cpu/cpu.shares: Invalid argument (the previous limits are back)");
        _files.Files["/cg/memory/memory.limit_in_bytes"].Should().Be("268435456");
        _files.Files["/cg/pids/pids.max"].Should().Be("100");
        _files.Attempts.Skip(3).Should().Equal("write /cg/pids/pids.max 100", "write /cg/memory/memory.limit_in_bytes 268435456");
    }

    [Fact]
    public void A_refused_period_is_written_again_after_the_quota()
    {
        _files.Files["/cg/cpu/cpu.cfs_period_us"] = "100000";
        _files.Files["/cg/cpu/cpu.cfs_quota_us"] = "50000";
        // The kernel refuses the shorter period while the old quota is larger than it.
        _files.WriteErrorsOnce["/cg/cpu/cpu.cfs_period_us"] = 22;
        Writer().Apply([new("cpu", "cpu.cfs_period_us", "10000", "period") { RetryAfterNext = true }, new("cpu", "cpu.cfs_quota_us", "5000", "quota")], false);
        _files.Attempts.Should().Equal("write /cg/cpu/cpu.cfs_period_us 10000", "write /cg/cpu/cpu.cfs_quota_us 5000", "write /cg/cpu/cpu.cfs_period_us 10000");
    }

    [Fact]
    public void A_clamped_value_read_back_is_an_error_with_the_bound()
    {
        _files.Files["/cg/cpu/cpu.shares"] = "1024";
        _files.Stored = (_, value) => ulong.Parse(value) > 262144 ? "262144" : value;
        FluentActions.Invoking(() => Writer().Apply([new("cpu", "cpu.shares", "999999", "linux.resources.cpu.shares") { ReadBack = true }], false))
            .Should().Throw<ContainerError>().WithMessage("linux.resources.cpu.shares: 999999 is out of range: the maximum allowed is 262144");
    }

    [Fact]
    public void A_memory_limit_below_the_usage_says_how_much_is_used()
    {
        _files.Files["/cg/memory/memory.limit_in_bytes"] = "max";
        _files.Files["/cg/memory/memory.usage_in_bytes"] = "5000000\n";
        _files.Files["/cg/memory/memory.max_usage_in_bytes"] = "6000000\n";
        _files.WriteErrors["/cg/memory/memory.limit_in_bytes"] = 16;
        FluentActions.Invoking(() => Writer().Apply([new("memory", "memory.limit_in_bytes", "4096", "linux.resources.memory.limit")], false))
            .Should().Throw<ContainerError>().WithMessage("linux.resources.memory.limit: cannot set the memory limit to 4096: the container uses 5000000 bytes (peak 6000000)");
    }
}
