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
        var initPid = 0;
        using var forwarded = new ForwardedSignals(signal =>
        {
            if (initPid != 0) containers.Kill(options.Id, signal, all: false);
        });
        // With process.terminal, the container's pty is attached to this terminal (raw mode until the end).
        using var console = new LibContainer.Terminal.ConsoleProxy(input: 0, output: 1);
        return containers.Run(options with { Console = console }, call.Get(Keep), pid => initPid = pid);
    }
}
