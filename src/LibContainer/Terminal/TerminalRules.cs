namespace LibContainer.Terminal;

/// <summary>
/// runc 1.1.5's checks of process.terminal against --console-socket, in its
/// words: a command that detaches (create, run --detach, exec --detach) needs
/// a socket for a terminal, and a socket is only for a terminal of a command
/// that detaches; `run` in the foreground attaches the pty to its own terminal.
/// </summary>
public static class TerminalRules
{
    public static void Check(bool terminal, bool detach, string? consoleSocket)
    {
        var socket = !string.IsNullOrEmpty(consoleSocket);
        if (detach && terminal && !socket)
            throw new ContainerError("cannot allocate tty if runc will detach without setting console socket");
        if ((!detach || !terminal) && socket)
            throw new ContainerError("cannot use console socket if runc will not detach or allocate tty");
    }
}
