using LibContainer.Syscalls;
using LibContainer.Terminal;

namespace LibContainer.Tests;

/// <summary>The terminal half of the fake: a pty is two handles (/dev/ptmx and /dev/pts/0), recorded as one line.</summary>
public sealed partial class RecordingSyscalls
{
    public Pty OpenPty(PathHandle root)
    {
        var (master, slave) = (_nextHandle, _nextHandle + 1);
        Record($"openpty in {root} -> master #{master} slave #{slave}", "process.terminal: open the pty");
        _nextHandle += 2;
        OpenHandles[master] = "/dev/ptmx";
        OpenHandles[slave] = "/dev/pts/0";
        return new Pty(new PathHandle(this, master), new PathHandle(this, slave), 0);
    }

    public void ResizePty(Pty pty, ushort rows, ushort columns) => Record($"resize {pty.Master} {rows}x{columns}");

    public PathHandle MakeConsole(PathHandle root) => Open("/dev/console", $"mkconsole in {root}", "process.terminal: create /dev/console");

    public void BindPty(Pty pty, PathHandle target, string what) => Record($"bind pty {pty.Slave} on {target}", $"mount {what}");

    public void AttachTerminal(Pty pty, uint uid) => Record($"attach {pty.Slave} as stdio and ctty, owner {uid}");
}
