using LibContainer.Kernel;
using OciRun.CommandLine;

namespace OciRun.Commands;

public static class KillCommand
{
    public static readonly SwitchFlag AllProcesses = new("all", "send the specified signal to all processes inside the container", Short: 'a');

    // After the flags it lists: static fields are set in the order they are written.
    public static readonly Verb Verb = new("kill", "kill sends the specified signal (default: SIGTERM) to the container's init process",
        "<container-id> [signal]", [AllProcesses], 1, 2, call =>
        {
            var signal = call.Arguments.Positional is [_, var given] ? given : "SIGTERM";
            call.Containers.Kill(call.Id, Signals.Parse(signal), call.Get(AllProcesses));
            return 0;
        });
}
