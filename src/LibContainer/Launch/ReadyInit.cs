namespace LibContainer.Launch;

/// <summary>
/// The last launch step: init reported ready and waits on exec.fifo for
/// `start`; it no longer dies with create, so a failed create still kills it.
/// </summary>
internal sealed class ReadyInit
{
    // Only PlacedInit.Complete makes one.
    internal ReadyInit(int pid) => Pid = pid;

    public int Pid { get; }
}
