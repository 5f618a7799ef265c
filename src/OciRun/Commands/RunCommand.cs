using System.Runtime.InteropServices;
using OciRun.CommandLine;

namespace OciRun.Commands;

public static class RunCommand
{
    public static readonly SwitchFlag Detach = new("detach", "detach from the container's process", Short: 'd');
    public static readonly SwitchFlag Keep = new("keep", "do not delete the container after it exits");

    // After the flags it lists: static fields are set in the order they are written.
    public static readonly Verb Verb = new("run", "create and run a container", "<container-id>", [.. CreateFlags.All, Detach, Keep], 1, 1, Run);

    private static int Run(Invocation call)
    {
        var options = CreateFlags.Read(call);
        var containers = call.Containers;
        if (call.Get(Detach))
        {
            containers.Create(options);
            try { containers.Start(options.Id); }
            catch
            {
                try { containers.Delete(options.Id, force: true); }
                catch (LibContainer.ContainerError) { /* why start failed matters more */ }
                throw;
            }
            return 0;
        }
        // Signals sent to `oci-run run` go to the container, as with runc.
        var forwarders = new List<PosixSignalRegistration>();
        var initPid = 0;
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
            forwarders.Add(PosixSignalRegistration.Create(signal, ctx =>
            {
                ctx.Cancel = true;
                if (initPid == 0) return;
                // Best effort: an exception escaping this signal thread would end `run` past the CLI's
                // error boundary, and the usual reason for a failure is that the container is gone.
                try { containers.Kill(options.Id, SignalNumber(ctx.Signal), all: false); }
                catch (Exception) { /* already gone */ }
            }));
        // With process.terminal, the container's pty is attached to this terminal (raw mode until the end).
        using var console = new LibContainer.Terminal.ConsoleProxy(input: 0, output: 1);
        try
        {
            return containers.Run(options with { Console = console }, call.Get(Keep), pid => initPid = pid);
        }
        finally
        {
            foreach (var f in forwarders) f.Dispose();
        }
    }

    private static int SignalNumber(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGQUIT => 3,
        _ => 15,
    };
}
