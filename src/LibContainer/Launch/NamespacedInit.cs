namespace LibContainer.Launch;

/// <summary>
/// The second launch step: init's C stage has the bootstrap frame and makes
/// its namespaces while create makes the cgroup; it waits for the cgroup frame.
/// </summary>
internal sealed class NamespacedInit
{
    private readonly InitHandshake _handshake;

    // Only SpawnedInit.Bootstrap makes one.
    internal NamespacedInit(InitHandshake handshake) => _handshake = handshake;

    /// <summary>The C stage's PID, alive until it has the cgroup frame.</summary>
    internal int Stage0Pid => _handshake.Stage0Pid; // not a step forward: internal, so the step keeps one way on

    /// <summary>Lets init's C stage join the cgroup and its mount namespace, and fork init.</summary>
    public PlacedInit JoinCgroups(CgroupMessage cgroups)
    {
        _handshake.Send(FrameType.Cgroups, cgroups.Encode());
        return new PlacedInit(_handshake);
    }
}
