using System.Text;
using LibContainer.Interop;

namespace LibContainer.Terminal;

/// <summary>
/// --console-socket: a connection to the caller's unix socket, made before the
/// container is, that receives the pty's master as runc sends it (one message:
/// the master by SCM_RIGHTS, its name "/dev/ptmx" as data; containerd's shim and
/// conmon read it so), and is closed right after.
/// </summary>
public sealed class ConsoleSocket : IConsoleReceiver, IDisposable
{
    /// <summary>What runc sends with the fd: the master's file name.</summary>
    public const string MasterName = "/dev/ptmx";

    private readonly Fd _socket;
    private readonly string _path;

    private ConsoleSocket(Fd socket, string path) => (_socket, _path) = (socket, path);

    public static ConsoleSocket Connect(string path) => new(UnixRights.ConnectFlag("--console-socket", path), path);

    public void Take(int master)
    {
        try
        {
            UnixRights.Send(_socket.Value, Encoding.UTF8.GetBytes(MasterName), master, $"--console-socket {_path}: send the pty's master");
        }
        finally
        {
            LibC.close(master);
            _socket.Dispose();
        }
    }

    public void Dispose() => _socket.Dispose();
}
