using LibContainer.Interop;
using LibContainer.Launch;
using LibContainer.Syscalls;
using LibContainer.Terminal;

namespace LibContainer.Tests.Launch;

/// <summary>
/// The pty's master from init to create over a real socketpair (no root): the CONSOLE frame with
/// the fd, the parent's receiver, CONSOLE_DONE, and init keeping nothing of it.
/// </summary>
public sealed unsafe class ConsoleHandOverTests
{
    [Fact]
    public void The_master_reaches_the_receiver_init_closes_its_own_and_goes_on_once_told()
    {
        var pair = stackalloc int[2];
        LibC.socketpair(1 /* AF_UNIX */, 1 /* SOCK_STREAM */ | O.CLOEXEC, 0, pair).Should().Be(0);
        var pipe = stackalloc int[2];
        LibC.pipe2(pipe, O.CLOEXEC).Should().Be(0);
        var (masterFd, keptEnd) = (pipe[0], pipe[1]); // a pipe stands in for the master: any fd travels the same way
        using var kept = new Fd(keptEnd);
        var sys = new LinuxSyscalls();
        var pty = new Pty(new PathHandle(sys, masterFd), new PathHandle(sys, -1), 3);
        var masterIno = InodeOf(masterFd);

        using var initSide = new SyncChannel(pair[1]);
        var init = new Thread(() =>
        {
            ContainerConsole.HandOver(initSide, pty);
            initSide.Send(FrameType.Ready, []);
        });
        init.Start();
        var received = -1;
        using var rollback = new Rollback();
        var parent = new InitHandshake(new SyncChannel(pair[0]), 0, rollback);
        parent.ExpectReady(console: fd => received = fd);
        init.Join(TimeSpan.FromSeconds(30)).Should().BeTrue();
        parent.Close();

        received.Should().BeGreaterThan(2);
        InodeOf(received).Should().Be(masterIno, "the receiver gets the very master init made");
        LibC.close(received);
        LibC.fcntl(masterFd, 1 /* F_GETFD */, 0).Should().Be(-1, "init closed its master once sent");
    }

    [Fact]
    public void A_master_no_one_asked_for_fails_create_and_is_closed()
    {
        var pair = stackalloc int[2];
        LibC.socketpair(1, 1 | O.CLOEXEC, 0, pair).Should().Be(0);
        var pipe = stackalloc int[2];
        LibC.pipe2(pipe, O.CLOEXEC).Should().Be(0);
        using var kept = new Fd(pipe[1]);
        using var initSide = new SyncChannel(pair[1]);
        initSide.Send(FrameType.Console, "/dev/pts/0"u8, pipe[0]);
        LibC.close(pipe[0]);
        using var rollback = new Rollback();
        var parent = new InitHandshake(new SyncChannel(pair[0]), 0, rollback);

        var act = () => parent.ExpectReady();
        act.Should().Throw<ContainerError>().WithMessage("container init: unexpected fd with frame Console");
        parent.Close();
    }

    private static ulong InodeOf(int fd)
    {
        LibC.fstatat(fd, "", out var st, AT.EMPTY_PATH).Should().Be(0);
        return st.Ino;
    }
}
