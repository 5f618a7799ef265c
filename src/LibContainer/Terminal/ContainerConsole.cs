using System.Text;
using LibContainer.Launch;
using LibContainer.Spec;
using LibContainer.Syscalls;

namespace LibContainer.Terminal;

/// <summary>
/// The container's side of process.terminal, as runc 1.1 does it: a pty made in
/// the container's devpts, its master handed to the parent over the sync
/// socket, its slave the process's stdio and controlling terminal. Create's init
/// also binds it over /dev/console; an exec'd process uses the same steps
/// without that bind: Open, then HandOver, then Attach.
/// </summary>
internal static class ContainerConsole
{
    /// <summary>A new pty in the container's devpts (`root`: the container's "/"), sized as consoleSize says (runc: only when both are set).</summary>
    public static Pty Open(ISyscalls sys, PathHandle root, ConsoleSize? size)
    {
        var pty = sys.OpenPty(root);
        try
        {
            if (size is { Height: > 0, Width: > 0 })
                sys.ResizePty(pty, (ushort)Math.Min(size.Height, ushort.MaxValue), (ushort)Math.Min(size.Width, ushort.MaxValue));
            return pty;
        }
        catch
        {
            pty.Dispose();
            throw;
        }
    }

    /// <summary>Create's init: the pty's slave bound over the container's /dev/console, through a handle checked to be what was made.</summary>
    public static void BindConsole(ISyscalls sys, PathHandle root, Pty pty)
    {
        using var console = sys.MakeConsole(root);
        sys.BindPty(pty, console, $"{pty.SlaveName} on /dev/console");
    }

    /// <summary>
    /// Sends the master to the parent (a CONSOLE frame, the fd by SCM_RIGHTS, the slave's name as
    /// payload), closes it here, and waits until the parent has passed it on (CONSOLE_DONE): init
    /// keeps no handle on it, and nothing of the host comes back.
    /// </summary>
    public static void HandOver(SyncChannel channel, Pty pty)
    {
        try
        {
            channel.Send(FrameType.Console, Encoding.UTF8.GetBytes(pty.SlaveName), pty.Master.Id);
        }
        finally
        {
            pty.Master.Dispose();
        }
        if (channel.Receive() is not (FrameType.ConsoleDone, _))
            throw new ContainerError("process.terminal: the runtime did not take the pty's master");
    }

    /// <summary>The slave becomes stdin, stdout, stderr and the controlling terminal; init's own handle on it is closed.</summary>
    public static void Attach(ISyscalls sys, Pty pty, uint uid)
    {
        try
        {
            sys.AttachTerminal(pty, uid);
        }
        finally
        {
            pty.Slave.Dispose();
        }
    }
}
