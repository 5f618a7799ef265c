using LibContainer.Interop;
using LibContainer.Processes;
using LibContainer.Rootfs;
using LibContainer.Spec;
using LibContainer.Terminal;

namespace LibContainer.Tests;

/// <summary>process.terminal in init, seen through RecordingSyscalls, and runc's checks of it against --console-socket.</summary>
public sealed class ConsoleTests
{
    private static InitConfig Config(Process process, bool rootReadOnly = false, bool devReadOnly = false) => new()
    {
        Id = "c1", SpecJson = [], Bundle = "/b", Rootfs = "/b/rootfs", FifoPath = "/run/oci-run/c1/exec.fifo",
        Spec = new RuntimeSpec
        {
            OciVersion = "1.0.2",
            Root = new Root { Path = "rootfs", Readonly = rootReadOnly },
            Process = process,
            Mounts =
            [
                new Mount { Destination = "/dev", Type = "tmpfs", Source = "tmpfs", Options = devReadOnly ? ["ro"] : [] },
                new Mount { Destination = "/dev/pts", Type = "devpts", Source = "devpts", Options = ["newinstance", "ptmxmode=0666"] },
            ],
        },
    };

    private static Process Terminal(uint height = 0, uint width = 0) => new()
    {
        Args = ["sh"], Cwd = "/", Terminal = true,
        ConsoleSize = height == 0 && width == 0 ? null : new ConsoleSize { Height = height, Width = width },
    };

    [Fact]
    public void The_pty_is_made_in_the_new_root_sized_and_bound_over_dev_console_before_dev_and_root_turn_read_only()
    {
        var sys = new RecordingSyscalls();
        var pty = new RootfsExecutor(Config(Terminal(33, 77), rootReadOnly: true, devReadOnly: true), sys).Run();

        pty.Should().NotBeNull();
        var pivot = sys.Calls.IndexOf("pivot_root /b/rootfs");
        sys.Calls.Skip(pivot).Should().Equal(
            "pivot_root /b/rootfs",
            "open / -> #14",
            "openpty in #14 -> master #15 slave #16",
            "resize #15 33x77",
            "mkconsole in #14 -> #17",
            "bind pty #16 on #17",
            "resolve /dev -> #18",
            "remount /dev ro,remount,bind",
            "remount / ro,remount,bind");
        sys.OpenHandles.Values.Should().BeEquivalentTo(["/dev/ptmx", "/dev/pts/0"], "only the pty is left open, for init");
        pty!.Value.Dispose();
    }

    [Theory]
    [InlineData(0u, 80u)]
    [InlineData(24u, 0u)]
    public void A_console_size_without_both_sides_is_not_applied_as_in_runc(uint height, uint width)
    {
        var sys = new RecordingSyscalls();
        new RootfsExecutor(Config(Terminal(height, width)), sys).Run()!.Value.Dispose();
        sys.Calls.Should().Contain(c => c.StartsWith("openpty")).And.NotContain(c => c.StartsWith("resize"));
    }

    [Fact]
    public void Without_a_terminal_no_pty_and_no_dev_console()
    {
        var sys = new RecordingSyscalls();
        new RootfsExecutor(Config(Terminal() with { Terminal = false }), sys).Run().Should().BeNull();
        sys.Calls.Should().NotContain(c => c.Contains("pty") || c.Contains("console"));
        sys.OpenHandles.Should().BeEmpty();
    }

    [Fact]
    public void A_console_that_cannot_be_bound_fails_init_and_closes_the_pty()
    {
        var sys = new RecordingSyscalls { FailAt = "bind pty" };
        var act = () => new RootfsExecutor(Config(Terminal(), rootReadOnly: true), sys).Run();

        act.Should().Throw<ContainerError>().WithMessage("mount /dev/pts/0 on /dev/console: Operation not permitted");
        sys.OpenHandles.Should().BeEmpty("the pty and /dev/console's handle are closed on the way out");
        sys.Calls.Should().NotContain(c => c.StartsWith("remount /"), "nothing after the failure is done");
    }

    [Fact]
    public void A_read_only_dev_without_a_terminal_is_still_made_read_only_in_the_new_root()
    {
        var sys = new RecordingSyscalls();
        new RootfsExecutor(Config(Terminal() with { Terminal = false }, devReadOnly: true), sys).Run();
        sys.Calls.Should().EndWith(["pivot_root /b/rootfs", "open / -> #14", "resolve /dev -> #15", "remount /dev ro,remount,bind"]);
    }

    [Fact]
    public void Attach_makes_the_slave_stdio_for_the_processs_user_and_closes_inits_handle()
    {
        var sys = new RecordingSyscalls();
        using var root = sys.OpenDirectory("/");
        var pty = ContainerConsole.Open(sys, root, null);
        pty.Master.Dispose();
        ContainerConsole.Attach(sys, pty, 1000);

        sys.Calls.Should().EndWith("attach #5 as stdio and ctty, owner 1000");
        sys.OpenHandles.Keys.Should().Equal(root.Id);
    }

    [Theory]
    [InlineData(true, true, null, "cannot allocate tty if runc will detach without setting console socket")]
    [InlineData(true, false, "/s.sock", "cannot use console socket if runc will not detach or allocate tty")]
    [InlineData(false, true, "/s.sock", "cannot use console socket if runc will not detach or allocate tty")]
    [InlineData(false, false, "/s.sock", "cannot use console socket if runc will not detach or allocate tty")]
    public void Runcs_checks_of_terminal_detach_and_console_socket(bool terminal, bool detach, string? socket, string error)
    {
        var act = () => TerminalRules.Check(terminal, detach, socket);
        act.Should().Throw<ContainerError>().WithMessage(error);
    }

    [Theory]
    [InlineData(true, true, "/s.sock")]
    [InlineData(true, false, null)]
    [InlineData(false, true, null)]
    [InlineData(false, false, "")]
    public void What_runc_allows(bool terminal, bool detach, string? socket)
    {
        var act = () => TerminalRules.Check(terminal, detach, socket);
        act.Should().NotThrow();
    }

    [Fact]
    public void A_console_socket_that_is_not_a_socket_is_named_in_the_error()
    {
        var file = Path.GetTempFileName();
        try
        {
            var act = () => ConsoleSocket.Connect(file);
            act.Should().Throw<ContainerError>().WithMessage($"--console-socket {file}: not a unix socket");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_console_socket_with_no_listener_is_named_in_the_error()
    {
        var act = () => ConsoleSocket.Connect("/nonexistent/console.sock");
        act.Should().Throw<ContainerError>().WithMessage("--console-socket /nonexistent/console.sock: connect: No such file or directory");
    }
}
