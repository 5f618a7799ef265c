using System.Runtime.InteropServices;

namespace OciRun.Commands;

/// <summary>
/// What `run` and `exec` in the foreground do with the signals a person or an
/// engine sends them, as runc does: each goes on to the container's process
/// (`send` gets its number) instead of ending the command. Disposing stops it.
/// </summary>
public sealed class ForwardedSignals : IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];

    public ForwardedSignals(Action<int> send)
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
            _registrations.Add(PosixSignalRegistration.Create(signal, ctx =>
            {
                ctx.Cancel = true;
                // Best effort: an exception escaping this signal thread would end the command past the
                // CLI's error boundary, and the usual reason for a failure is that the process is gone.
                try { send(Number(ctx.Signal)); }
                catch (Exception) { /* already gone */ }
            }));
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
    }

    private static int Number(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGQUIT => 3,
        _ => 15,
    };
}
