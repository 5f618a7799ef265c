using LibContainer.Cgroups.Stats;

namespace LibContainer.Events;

public enum ContainerEventType { Stats, Oom }

/// <summary>One line of `events`: the container's stats at a tick, or an OOM kill noticed in its cgroup.</summary>
public sealed record ContainerEvent(ContainerEventType Type, string Id, CgroupStats? Stats = null);
