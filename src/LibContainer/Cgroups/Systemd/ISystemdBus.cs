namespace LibContainer.Cgroups.Systemd;

/// <summary>A D-Bus error answer ("org.freedesktop.systemd1.UnitExists", "Unit x already exists.").</summary>
public sealed record BusError(string Name, string Message)
{
    public const string UnitExists = "org.freedesktop.systemd1.UnitExists";
    public const string NoSuchUnit = "org.freedesktop.systemd1.NoSuchUnit";
    public const string InvalidArgs = "org.freedesktop.DBus.Error.InvalidArgs";
    public const string PropertyReadOnly = "org.freedesktop.DBus.Error.PropertyReadOnly";

    /// <summary>A job that ended but not "done" ("failed", "canceled", "timeout"...).</summary>
    public const string JobFailed = "oci-run.JobFailed";
}

/// <summary>
/// The few calls the driver makes on systemd's manager object
/// (org.freedesktop.systemd1.Manager); tests hand in a fake. Each returns the
/// error systemd answered, or null; the job calls wait for the job's end.
/// </summary>
public interface ISystemdBus : IDisposable
{
    /// <summary>systemd's version number (252 for "252.39-1~deb12u1"), 0 when it cannot be read.</summary>
    int Version { get; }

    /// <summary>StartTransientUnit(name, "replace", properties) and its job's JobRemoved with result "done".</summary>
    BusError? StartTransientUnit(string name, IReadOnlyList<UnitProperty> properties);

    /// <summary>SetUnitProperties(name, runtime: true, properties).</summary>
    BusError? SetUnitProperties(string name, IReadOnlyList<UnitProperty> properties);

    /// <summary>
    /// The unit's current values of these properties (those of type t or ay,
    /// the resource kinds update changes), to give them back when an update
    /// fails; a property that cannot be read is left out.
    /// </summary>
    IReadOnlyList<UnitProperty> ReadUnitProperties(string name, IReadOnlyList<UnitProperty> properties);

    /// <summary>StopUnit(name, "replace") and its job's end.</summary>
    BusError? StopUnit(string name);

    /// <summary>ResetFailedUnit(name): a failed unit would keep its name taken.</summary>
    BusError? ResetFailedUnit(string name);
}
