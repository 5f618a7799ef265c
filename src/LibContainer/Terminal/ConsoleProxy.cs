using System.Runtime.InteropServices;
using LibContainer.Interop;

namespace LibContainer.Terminal;

/// <summary>
/// `run` in the foreground with process.terminal, as runc's: the caller's
/// terminal in raw mode while the container runs, what is read from `input`
/// goes to the pty's master and what the master says to `output`, and the
/// terminal's window size follows it (at the start and at each SIGWINCH). The
/// caller hands in its fds (it is the one doing console I/O); Dispose stops
/// the copying once what the container wrote has been passed on, and puts the
/// terminal back as it was, also when the run failed.
/// </summary>
public sealed unsafe class ConsoleProxy(int input, int output) : IConsoleReceiver, IDisposable
{
    private const int POLLIN = 1, POLLHUP = 0x10, POLLERR = 8;
    private const int TermiosSize = 64; // glibc's struct termios (60 bytes), padded; the kernel's is 36

    private int _master = -1;
    private Fd? _terminal;
    private bool _ownTerminal;
    private byte[]? _saved;
    private readonly int[] _stop = [-1, -1];
    private Thread? _fromInput, _toOutput;
    private PosixSignalRegistration? _winch;

    public void Take(int master)
    {
        _master = master;
        OpenHostTerminal();
        MakeRaw();
        Resize();
        _winch = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => Resize());
        fixed (int* p = _stop) Syscall.Check(LibC.pipe2(p, O.CLOEXEC), "process.terminal: pipe");
        _fromInput = new Thread(() => Copy(input, _master, untilHangup: false)) { IsBackground = true, Name = "console input" };
        _toOutput = new Thread(() => Copy(_master, output, untilHangup: true)) { IsBackground = true, Name = "console output" };
        _fromInput.Start();
        _toOutput.Start();
    }

    // runc's order: stdin, stdout or stderr if one is a terminal, else the controlling terminal.
    private void OpenHostTerminal()
    {
        foreach (var fd in new[] { input, output, 2 })
            if (Tty.isatty(fd) == 1)
            {
                _terminal = new Fd(fd);
                return;
            }
        var tty = LibC.open("/dev/tty", O.RDWR | O.NOCTTY | O.CLOEXEC, 0);
        if (tty < 0)
            throw new ContainerError("process.terminal: `run` attaches the container's terminal to its own, but stdin, stdout and stderr are not terminals "
                + $"and /dev/tty cannot be opened ({Errno.Describe(Syscall.LastErrno)}); use --detach with --console-socket");
        _terminal = new Fd(tty);
        _ownTerminal = true;
    }

    private void MakeRaw()
    {
        var termios = new byte[TermiosSize];
        fixed (byte* t = termios)
        {
            Syscall.Check(Tty.ioctl(_terminal!.Value, Tty.TCGETS, t), "process.terminal: read the terminal's settings");
            _saved = (byte[])termios.Clone();
            Tty.cfmakeraw(t);
            Syscall.Check(Tty.ioctl(_terminal.Value, Tty.TCSETS, t), "process.terminal: put the terminal in raw mode");
        }
    }

    // Best effort, as runc's: the terminal may be gone by the time a SIGWINCH comes.
    private void Resize()
    {
        if (_terminal is null || _master < 0) return;
        var size = new WindowSize();
        if (Tty.ioctl(_terminal.Value, Tty.TIOCGWINSZ, &size) == 0 && size.Rows > 0 && size.Columns > 0)
            Tty.ioctl(_master, Tty.TIOCSWINSZ, &size);
    }

    /// <summary>
    /// Copies until `from` ends (for the master: EIO, once every process holding the pty's slave
    /// is gone) or the stop pipe is written; then passes on what `from` has ready.
    /// </summary>
    private void Copy(int from, int to, bool untilHangup)
    {
        var buffer = new byte[16 * 1024];
        var fds = stackalloc PollFd[2];
        while (true)
        {
            fds[0] = new PollFd { Fd = from, Events = POLLIN };
            fds[1] = new PollFd { Fd = _stop[0], Events = POLLIN };
            if (LibC.poll(fds, 2, -1) < 0)
            {
                if (Syscall.LastErrno == Errno.EINTR) continue;
                return;
            }
            if (fds[0].Revents != 0 && !Pass(from, to, buffer)) return;
            if (fds[1].Revents != 0) break;
        }
        if (!untilHangup) return;
        // Stopped: what the master has ready now (its poll pushes the pty's pending output first).
        while (true)
        {
            fds[0] = new PollFd { Fd = from, Events = POLLIN };
            if (LibC.poll(fds, 1, 0) <= 0 || (fds[0].Revents & POLLIN) == 0 || !Pass(from, to, buffer)) return;
        }
    }

    // One read and its write; false at the end (EOF, EIO, or a write that cannot go).
    private static bool Pass(int from, int to, byte[] buffer)
    {
        nint n;
        fixed (byte* b = buffer)
        {
            do n = LibC.read(from, b, buffer.Length); while (n < 0 && Syscall.LastErrno == Errno.EINTR);
            if (n <= 0) return false;
            for (nint done = 0; done < n;)
            {
                var w = LibC.write(to, b + done, n - done);
                if (w < 0 && Syscall.LastErrno == Errno.EINTR) continue;
                if (w <= 0) return false;
                done += w;
            }
        }
        return true;
    }

    public void Dispose()
    {
        _winch?.Dispose();
        if (_stop[1] >= 0)
        {
            fixed (byte* one = "x"u8) LibC.write(_stop[1], one, 1);
            _toOutput?.Join();
            _fromInput?.Join();
        }
        if (_saved is not null)
            fixed (byte* t = _saved) Tty.ioctl(_terminal!.Value, Tty.TCSETS, t);
        if (_ownTerminal) _terminal?.Dispose();
        foreach (var fd in _stop) if (fd >= 0) LibC.close(fd);
        if (_master >= 0) LibC.close(_master);
        _master = -1;
    }
}
