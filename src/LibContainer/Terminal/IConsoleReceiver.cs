namespace LibContainer.Terminal;

/// <summary>
/// Where the master of a container process's pty goes once init (or exec) has
/// made it: a console socket (ConsoleSocket) or the caller's own terminal
/// (ConsoleProxy). Take owns the fd from then on and closes it when done.
/// </summary>
public interface IConsoleReceiver
{
    void Take(int master);
}
