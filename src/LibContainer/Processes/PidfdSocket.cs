using System.Text;
using LibContainer.Interop;

namespace LibContainer.Processes;

/// <summary>
/// --pidfd-socket (runc 1.2): a connection to the caller's unix socket, made
/// before the container or process is, that receives a pidfd of the new
/// process by SCM_RIGHTS once it runs (create's init: "standard" as data; an
/// exec'd process: "setns", runc's words), and is closed right after. A pidfd
/// lets the caller signal and wait for that very process, never a reuser of
/// its PID.
/// </summary>
public sealed class PidfdSocket : IDisposable
{
    private readonly Fd _socket;
    private readonly string _what;

    private PidfdSocket(Fd socket, string what) => (_socket, _what) = (socket, what);

    public static PidfdSocket Connect(string path) => new(UnixRights.ConnectFlag("--pidfd-socket", path), $"--pidfd-socket {path}");

    /// <summary>Sends a pidfd of `pid` with `kind` ("standard" or "setns") as the message, then closes the connection.</summary>
    public void Send(int pid, string kind)
    {
        var pidfd = LibC.syscall(Sys.pidfd_open, pid, 0, 0, 0, 0);
        if (pidfd < 0) throw ContainerError.FromErrno($"{_what}: pidfd_open {pid}", Syscall.LastErrno);
        try
        {
            UnixRights.Send(_socket.Value, Encoding.ASCII.GetBytes(kind), (int)pidfd, $"{_what}: send the pidfd");
        }
        finally
        {
            LibC.close((int)pidfd);
            _socket.Dispose();
        }
    }

    public void Dispose() => _socket.Dispose();
}
