using System.CommandLine;
using System.Runtime.InteropServices;

namespace OciRun.Commands;

public static class RunCommand
{
    public static Command Build(CommandContext context)
    {
        var command = new Command("run", "create and run a container");
        var flags = new CreateFlags();
        flags.AddTo(command);
        var detach = new Option<bool>("--detach", "-d") { Description = "detach from the container's process" };
        command.Options.Add(detach);
        var keep = new Option<bool>("--keep") { Description = "do not delete the container after it exits" };
        command.Options.Add(keep);
        command.SetAction(result => context.Run(result, containers =>
        {
            var options = flags.Read(result);
            if (result.GetValue(detach))
            {
                containers.Create(options);
                try { containers.Start(options.Id); }
                catch { containers.Delete(options.Id, force: true); throw; }
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
                    try { containers.Kill(options.Id, SignalNumber(ctx.Signal), all: false); }
                    catch (LibContainer.ContainerError) { /* already gone */ }
                }));
            try
            {
                return containers.Run(options, result.GetValue(keep), pid => initPid = pid);
            }
            finally
            {
                foreach (var f in forwarders) f.Dispose();
            }
        }));
        return command;
    }

    private static int SignalNumber(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGQUIT => 3,
        _ => 15,
    };
}
