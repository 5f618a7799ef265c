using System.Collections.Concurrent;
using Tmds.DBus.Protocol;

namespace LibContainer.Cgroups.Systemd;

/// <summary>
/// ISystemdBus over the system bus with Tmds.DBus.Protocol (no reflection:
/// each message is written and read by hand). Only the systemd driver makes
/// one, so commands on cgroupfs containers never touch D-Bus.
/// </summary>
internal sealed class DBusSystemdBus : ISystemdBus
{
    private const string Service = "org.freedesktop.systemd1";
    private const string ManagerPath = "/org/freedesktop/systemd1";
    private const string ManagerInterface = "org.freedesktop.systemd1.Manager";
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(30); // runc's

    private readonly DBusConnection _connection;
    // JobRemoved arrives for every job: those seen, by job path, until their caller takes them.
    private readonly ConcurrentDictionary<string, string> _removedJobs = new();
    private readonly SemaphoreSlim _jobEnded = new(0);
    private int? _version;

    private DBusConnection Connection => _connection;

    // MessageWriter is a struct: a body is written through a reference to the one that makes the message.
    private delegate void BodyWriter(ref MessageWriter writer);

    private DBusSystemdBus(DBusConnection connection) => _connection = connection;

    /// <summary>The system bus: $DBUS_SYSTEM_BUS_ADDRESS, else /run/dbus/system_bus_socket.</summary>
    public static string Address =>
        Environment.GetEnvironmentVariable("DBUS_SYSTEM_BUS_ADDRESS") is { Length: > 0 } address ? address : "unix:path=/run/dbus/system_bus_socket";

    /// <summary>Connects and subscribes to job ends; a clear error when there is no bus or no systemd on it.</summary>
    public static DBusSystemdBus Connect()
    {
        var address = Address;
        var connection = new DBusConnection(address);
        try
        {
            connection.ConnectAsync().AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is DBusExceptionBase or IOException or System.Net.Sockets.SocketException or ArgumentException)
        {
            connection.Dispose();
            throw new ContainerError($"the systemd cgroup driver needs systemd's D-Bus at {address}: connect: {e.Message}");
        }
        var bus = new DBusSystemdBus(connection);
        try
        {
            bus.WatchJobs();
            // Without a subscriber systemd sends no JobRemoved signals.
            var error = bus.Call("Subscribe", "", (ref MessageWriter _) => { });
            if (error is not null) throw new ContainerError($"the systemd cgroup driver needs systemd on the D-Bus at {address}: Subscribe: {error.Message} ({error.Name})");
            return bus;
        }
        catch
        {
            bus.Dispose();
            throw;
        }
    }

    public int Version => _version ??= ReadVersion();

    public BusError? StartTransientUnit(string name, IReadOnlyList<UnitProperty> properties) =>
        CallJob("StartTransientUnit", "ssa(sv)a(sa(sv))", (ref MessageWriter w) =>
        {
            w.WriteString(name);
            w.WriteString("replace");
            WriteProperties(ref w, properties);
            var aux = w.WriteArrayStart(DBusType.Struct); // no auxiliary units
            w.WriteArrayEnd(aux);
        });

    public BusError? SetUnitProperties(string name, IReadOnlyList<UnitProperty> properties) =>
        Call("SetUnitProperties", "sba(sv)", (ref MessageWriter w) =>
        {
            w.WriteString(name);
            w.WriteBool(true); // runtime: gone with the unit
            WriteProperties(ref w, properties);
        });

    public IReadOnlyList<UnitProperty> ReadUnitProperties(string name, IReadOnlyList<UnitProperty> properties)
    {
        var values = new List<UnitProperty>();
        string? unitPath = null;
        if (Call("GetUnit", "s", (ref MessageWriter w) => w.WriteString(name), reader => unitPath = reader.ReadObjectPathAsString()) is not null)
            return values;
        // The resource properties are on the unit type's interface (Scope or Slice).
        var iface = "org.freedesktop.systemd1." + (name.EndsWith(".slice", StringComparison.Ordinal) ? "Slice" : "Scope");
        foreach (var p in properties)
        {
            if (p.Value is not (UInt64Value or ByteArrayValue)) continue;
            UnitValue? value = null;
            var error = Call(unitPath!, "org.freedesktop.DBus.Properties", "Get", "ss", (ref MessageWriter w) =>
            {
                w.WriteString(iface);
                w.WriteString(p.Name);
            }, reader =>
            {
                // A variant: its signature, then the value.
                var signature = reader.ReadSignatureAsString();
                value = signature switch
                {
                    "t" => new UInt64Value(reader.ReadUInt64()),
                    "ay" => new ByteArrayValue(reader.ReadArrayOfByte()),
                    _ => null,
                };
            });
            if (error is null && value is not null) values.Add(new(p.Name, value));
        }
        return values;
    }

    public BusError? StopUnit(string name) => CallJob("StopUnit", "ss", (ref MessageWriter w) =>
    {
        w.WriteString(name);
        w.WriteString("replace");
    });

    public BusError? ResetFailedUnit(string name) => Call("ResetFailedUnit", "s", (ref MessageWriter w) => w.WriteString(name));

    private void WatchJobs()
    {
        var rule = new MatchRule
        {
            Type = MessageType.Signal,
            Sender = Service,
            Path = ManagerPath,
            Interface = ManagerInterface,
            Member = "JobRemoved",
        };
        // JobRemoved(u id, o job, s unit, s result)
        Connection.AddMatchAsync(rule,
            static (Message m, object? _) =>
            {
                var reader = m.GetBodyReader();
                reader.ReadUInt32();
                var job = reader.ReadObjectPathAsString();
                reader.ReadString();
                return (job, result: reader.ReadString());
            },
            (Action<Notification<(string job, string result)>>)(n =>
            {
                if (!n.HasValue) return;
                _removedJobs[n.Value.job] = n.Value.result;
                _jobEnded.Release();
            }),
            false, ObserverFlags.None, null).AsTask().GetAwaiter().GetResult();
    }

    // A call that returns a job path; then waits for that job's JobRemoved.
    private BusError? CallJob(string member, string signature, BodyWriter body)
    {
        string? job = null;
        var error = Call(member, signature, body, reader => job = reader.ReadObjectPathAsString());
        if (error is not null) return error;
        var deadline = DateTime.UtcNow + JobTimeout;
        while (true)
        {
            if (_removedJobs.TryRemove(job!, out var result))
                return result == "done" ? null : new BusError(BusError.JobFailed, $"the job ended \"{result}\", not \"done\"");
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !_jobEnded.Wait(left))
                return new BusError(BusError.JobFailed, $"timed out after {JobTimeout.TotalSeconds} s waiting for systemd's job {job}");
        }
    }

    private BusError? Call(string member, string signature, BodyWriter body, Action<Reader>? read = null) =>
        Call(ManagerPath, ManagerInterface, member, signature, body, read);

    private BusError? Call(string path, string iface, string member, string signature, BodyWriter body, Action<Reader>? read)
    {
        MessageBuffer message;
        var writer = Connection.GetMessageWriter();
        try
        {
            writer.WriteMethodCallHeader(Service, path, iface, member, signature.Length == 0 ? null : signature);
            body(ref writer);
            message = writer.CreateMessage();
        }
        finally
        {
            writer.Dispose();
        }
        try
        {
            Connection.CallMethodAsync(message, static (Message m, object? state) =>
            {
                var reader = m.GetBodyReader();
                ((Action<Reader>?)state)?.Invoke(reader);
                return true;
            }, read).GetAwaiter().GetResult();
            return null;
        }
        catch (DBusErrorReplyException e)
        {
            return new BusError(e.ErrorName, e.ErrorMessage);
        }
        catch (DBusExceptionBase e)
        {
            throw new ContainerError($"systemd's D-Bus at {Address}: {member}: {e.Message}");
        }
    }

    // a(sv): each property's name, then its value as a variant (its signature, then the value).
    private static void WriteProperties(ref MessageWriter w, IReadOnlyList<UnitProperty> properties)
    {
        var array = w.WriteArrayStart(DBusType.Struct);
        foreach (var p in properties)
        {
            w.WriteStructureStart();
            w.WriteString(p.Name);
            w.WriteSignature(p.Value.Signature);
            switch (p.Value)
            {
                case StringValue s: w.WriteString(s.Value); break;
                case BoolValue b: w.WriteBool(b.Value); break;
                case UInt64Value t: w.WriteUInt64(t.Value); break;
                case UInt32ArrayValue au: w.WriteArray(ToArray(au.Values)); break;
                case StringArrayValue @as: w.WriteArray(ToArray(@as.Values)); break;
                case ByteArrayValue ay: w.WriteArray(ToArray(ay.Values)); break;
                case DeviceAllowValue devices:
                    var entries = w.WriteArrayStart(DBusType.Struct);
                    foreach (var d in devices.Entries)
                    {
                        w.WriteStructureStart();
                        w.WriteString(d.Path);
                        w.WriteString(d.Access);
                    }
                    w.WriteArrayEnd(entries);
                    break;
                default: throw new InvalidOperationException($"no D-Bus writer for {p.Value.GetType().Name}");
            }
        }
        w.WriteArrayEnd(array);
    }

    private static T[] ToArray<T>(IReadOnlyList<T> values)
    {
        var array = new T[values.Count];
        for (var i = 0; i < array.Length; i++) array[i] = values[i];
        return array;
    }

    // The Manager's Version property ("252.39-1~deb12u1"): its first number, as runc reads it.
    private int ReadVersion()
    {
        string? text = null;
        var error = Call(ManagerPath, "org.freedesktop.DBus.Properties", "Get", "ss", (ref MessageWriter w) =>
        {
            w.WriteString(ManagerInterface);
            w.WriteString("Version");
        }, reader => text = reader.ReadVariantValue().GetString());
        return error is null ? SystemdVersion.Parse(text) : 0;
    }

    public void Dispose()
    {
        _connection.Dispose();
        _jobEnded.Dispose();
    }
}
