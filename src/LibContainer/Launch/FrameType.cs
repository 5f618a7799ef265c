namespace LibContainer.Launch;

/// <summary>Frame types of the sync socket; the numbers are protocol.h's (checked by LaunchNumbersTests).</summary>
public enum FrameType : uint
{
    Bootstrap = 1,
    ChildPid = 2,
    UsermapRequest = 3,
    UsermapDone = 4,
    Cgroups = 5,
    Config = 10,
    Ready = 11,
    Error = 12,
    HooksRequest = 13,
    HooksDone = 14,
    SeccompListener = 15,
    SeccompDone = 16,
    Console = 17,
    ConsoleDone = 18,
}
