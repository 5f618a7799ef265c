namespace LibContainer.Spec;

/// <summary>
/// Maps a parsed config.json (JsonDocument) onto the RuntimeSpec records.
/// Written by hand because it runs twice per container (create and init) and
/// source-generated deserialization spends about 2 ms building its metadata
/// on every cold start, where this takes tens of microseconds. Unknown fields
/// are ignored, as the spec allows; a field of the wrong type is an error
/// naming its path. Every such problem is collected, not only the first, so
/// one error can list them all; a wrong field reads as absent. GetString
/// cannot throw here: SpecLoader refuses invalid UTF-8 and half surrogate
/// pairs before (and init reads what create checked).
/// </summary>
internal sealed class SpecReader
{
    private readonly List<SpecProblem> _problems = [];

    /// <summary>The fields of the wrong type (or holding a NUL), in document order.</summary>
    public IReadOnlyList<SpecProblem> Problems => _problems;

    /// <summary>Reads a spec, throwing one error with every problem (init reads create's config this way).</summary>
    public static RuntimeSpec Read(JsonElement e)
    {
        var reader = new SpecReader();
        var spec = reader.ReadSpec(e);
        if (reader._problems.Count > 0) throw SpecProblems.Error(reader._problems);
        return spec;
    }

    /// <summary>Reads what it can; see Problems for what it could not.</summary>
    public RuntimeSpec ReadSpec(JsonElement e) => new()
    {
        OciVersion = Str(e, "ociVersion", ""),
        Process = Obj(e, "process", "", ReadProcess),
        Root = Obj(e, "root", "", (r, p) => new Root { Path = Str(r, "path", p), Readonly = Bool(r, "readonly", p) }),
        Hostname = Str(e, "hostname", ""),
        Domainname = Str(e, "domainname", ""),
        Mounts = List(e, "mounts", "", ReadMount),
        Hooks = Obj(e, "hooks", "", ReadHooks),
        Annotations = StrMap(e, "annotations", ""),
        Linux = Obj(e, "linux", "", ReadLinux),
        Solaris = Raw(e, "solaris"),
        Windows = Raw(e, "windows"),
        Vm = Raw(e, "vm"),
        Zos = Raw(e, "zos"),
    };

    public Process ReadProcess(JsonElement e, string p) => new()
    {
        Terminal = Bool(e, "terminal", p),
        ConsoleSize = Obj(e, "consoleSize", p, (c, q) => new ConsoleSize { Height = U32(c, "height", q) ?? 0, Width = U32(c, "width", q) ?? 0 }),
        User = Obj(e, "user", p, (u, q) => new User
        {
            Uid = U32(u, "uid", q) ?? 0,
            Gid = U32(u, "gid", q) ?? 0,
            Umask = U32(u, "umask", q),
            AdditionalGids = List(u, "additionalGids", q, (g, r) => Number<uint>(g, r) ?? 0),
            Username = Str(u, "username", q),
        }),
        Args = StrList(e, "args", p),
        CommandLine = Str(e, "commandLine", p),
        Env = StrList(e, "env", p),
        Cwd = Str(e, "cwd", p),
        Capabilities = Obj(e, "capabilities", p, (c, q) => new Capabilities
        {
            Bounding = StrList(c, "bounding", q),
            Effective = StrList(c, "effective", q),
            Inheritable = StrList(c, "inheritable", q),
            Permitted = StrList(c, "permitted", q),
            Ambient = StrList(c, "ambient", q),
        }),
        Rlimits = List(e, "rlimits", p, (r, q) => new Rlimit { Type = Str(r, "type", q), Hard = U64(r, "hard", q) ?? 0, Soft = U64(r, "soft", q) ?? 0 }),
        NoNewPrivileges = Bool(e, "noNewPrivileges", p),
        ApparmorProfile = Str(e, "apparmorProfile", p),
        OomScoreAdj = I32(e, "oomScoreAdj", p),
        SelinuxLabel = Str(e, "selinuxLabel", p),
        IoPriority = Obj(e, "ioPriority", p, (i, q) => new IoPriority { Class = Str(i, "class", q), Priority = I32(i, "priority", q) ?? 0 }),
        Scheduler = Obj(e, "scheduler", p, (s, q) => new Scheduler
        {
            Policy = Str(s, "policy", q),
            Nice = I32(s, "nice", q) ?? 0,
            Priority = I32(s, "priority", q) ?? 0,
            Flags = StrList(s, "flags", q),
            Runtime = U64(s, "runtime", q) ?? 0,
            Deadline = U64(s, "deadline", q) ?? 0,
            Period = U64(s, "period", q) ?? 0,
        }),
        ExecCpuAffinity = Obj(e, "execCPUAffinity", p, (a, q) => new CpuAffinity { Initial = Str(a, "initial", q), Final = Str(a, "final", q) }),
    };

    private Mount ReadMount(JsonElement e, string p) => new()
    {
        Destination = Str(e, "destination", p),
        Type = Str(e, "type", p),
        Source = Str(e, "source", p),
        Options = StrList(e, "options", p),
        UidMappings = List(e, "uidMappings", p, ReadIdMapping),
        GidMappings = List(e, "gidMappings", p, ReadIdMapping),
    };

    private IdMapping ReadIdMapping(JsonElement e, string p) => new()
    {
        ContainerId = U32(e, "containerID", p) ?? 0,
        HostId = U32(e, "hostID", p) ?? 0,
        Size = U32(e, "size", p) ?? 0,
    };

    private Hooks ReadHooks(JsonElement e, string p) => new()
    {
        Prestart = List(e, "prestart", p, ReadHook),
        CreateRuntime = List(e, "createRuntime", p, ReadHook),
        CreateContainer = List(e, "createContainer", p, ReadHook),
        StartContainer = List(e, "startContainer", p, ReadHook),
        Poststart = List(e, "poststart", p, ReadHook),
        Poststop = List(e, "poststop", p, ReadHook),
    };

    private Hook ReadHook(JsonElement e, string p) => new()
    {
        Path = Str(e, "path", p),
        Args = StrList(e, "args", p),
        Env = StrList(e, "env", p),
        Timeout = I32(e, "timeout", p),
    };

    private Linux ReadLinux(JsonElement e, string p) => new()
    {
        UidMappings = List(e, "uidMappings", p, ReadIdMapping),
        GidMappings = List(e, "gidMappings", p, ReadIdMapping),
        Sysctl = StrMap(e, "sysctl", p),
        Resources = Obj(e, "resources", p, ReadResources),
        CgroupsPath = Str(e, "cgroupsPath", p),
        Namespaces = List(e, "namespaces", p, (n, q) => new Namespace { Type = Str(n, "type", q), Path = Str(n, "path", q) }),
        Devices = List(e, "devices", p, (d, q) => new Device
        {
            Type = Str(d, "type", q),
            Path = Str(d, "path", q),
            Major = I64(d, "major", q) ?? 0,
            Minor = I64(d, "minor", q) ?? 0,
            FileMode = U32(d, "fileMode", q),
            Uid = U32(d, "uid", q),
            Gid = U32(d, "gid", q),
        }),
        Seccomp = Obj(e, "seccomp", p, ReadSeccomp),
        RootfsPropagation = Str(e, "rootfsPropagation", p),
        MaskedPaths = StrList(e, "maskedPaths", p),
        ReadonlyPaths = StrList(e, "readonlyPaths", p),
        MountLabel = Str(e, "mountLabel", p),
        IntelRdt = Obj(e, "intelRdt", p, (r, q) => new IntelRdt
        {
            ClosId = Str(r, "closID", q),
            L3CacheSchema = Str(r, "l3CacheSchema", q),
            MemBwSchema = Str(r, "memBwSchema", q),
            Schemata = StrList(r, "schemata", q),
            EnableMonitoring = NullableBool(r, "enableMonitoring", q),
        }),
        Personality = Obj(e, "personality", p, (r, q) => new Personality { Domain = Str(r, "domain", q), Flags = StrList(r, "flags", q) }),
        TimeOffsets = Map(e, "timeOffsets", p, (t, q) => new TimeOffset { Secs = I64(t, "secs", q) ?? 0, Nanosecs = U32(t, "nanosecs", q) ?? 0 }),
        MemoryPolicy = Obj(e, "memoryPolicy", p, (m, q) => new MemoryPolicy { Mode = Str(m, "mode", q), Nodes = Str(m, "nodes", q), Flags = StrList(m, "flags", q) }),
        NetDevices = Map(e, "netDevices", p, (n, q) => new NetDevice { Name = Str(n, "name", q) }),
    };

    private Seccomp ReadSeccomp(JsonElement e, string p) => new()
    {
        DefaultAction = Str(e, "defaultAction", p),
        DefaultErrnoRet = U32(e, "defaultErrnoRet", p),
        Architectures = StrList(e, "architectures", p),
        Flags = StrList(e, "flags", p),
        ListenerPath = Str(e, "listenerPath", p),
        ListenerMetadata = Str(e, "listenerMetadata", p),
        Syscalls = List(e, "syscalls", p, (s, q) => new SeccompSyscall
        {
            Names = StrList(s, "names", q),
            Action = Str(s, "action", q),
            ErrnoRet = U32(s, "errnoRet", q),
            Args = List(s, "args", q, (a, r) => new SeccompArg
            {
                Index = U32(a, "index", r) ?? 0,
                Value = U64(a, "value", r) ?? 0,
                ValueTwo = U64(a, "valueTwo", r) ?? 0,
                Op = Str(a, "op", r),
            }),
        }),
    };

    public Resources ReadResources(JsonElement e, string p) => new()
    {
        Devices = List(e, "devices", p, (d, q) => new DeviceRule
        {
            Allow = Bool(d, "allow", q),
            Type = Str(d, "type", q),
            Major = I64(d, "major", q),
            Minor = I64(d, "minor", q),
            Access = Str(d, "access", q),
        }),
        Memory = Obj(e, "memory", p, (m, q) => new MemoryResources
        {
            Limit = I64(m, "limit", q),
            Reservation = I64(m, "reservation", q),
            Swap = I64(m, "swap", q),
            Kernel = I64(m, "kernel", q),
            KernelTcp = I64(m, "kernelTCP", q),
            Swappiness = U64(m, "swappiness", q),
            DisableOomKiller = NullableBool(m, "disableOOMKiller", q),
            UseHierarchy = NullableBool(m, "useHierarchy", q),
            CheckBeforeUpdate = NullableBool(m, "checkBeforeUpdate", q),
        }),
        Cpu = Obj(e, "cpu", p, (c, q) => new CpuResources
        {
            Shares = U64(c, "shares", q),
            Quota = I64(c, "quota", q),
            Burst = U64(c, "burst", q),
            Period = U64(c, "period", q),
            RealtimeRuntime = I64(c, "realtimeRuntime", q),
            RealtimePeriod = U64(c, "realtimePeriod", q),
            Cpus = Str(c, "cpus", q),
            Mems = Str(c, "mems", q),
            Idle = I64(c, "idle", q),
        }),
        Pids = Obj(e, "pids", p, (x, q) => new PidsResources { Limit = I64(x, "limit", q) }),
        BlockIO = Obj(e, "blockIO", p, (b, q) => new BlockIoResources
        {
            Weight = Number<ushort>(b, "weight", q),
            LeafWeight = Number<ushort>(b, "leafWeight", q),
            WeightDevice = List(b, "weightDevice", q, (w, r) => new WeightDevice
            {
                Major = I64(w, "major", r) ?? 0,
                Minor = I64(w, "minor", r) ?? 0,
                Weight = Number<ushort>(w, "weight", r),
                LeafWeight = Number<ushort>(w, "leafWeight", r),
            }),
            ThrottleReadBpsDevice = List(b, "throttleReadBpsDevice", q, ReadThrottle),
            ThrottleWriteBpsDevice = List(b, "throttleWriteBpsDevice", q, ReadThrottle),
            ThrottleReadIOPSDevice = List(b, "throttleReadIOPSDevice", q, ReadThrottle),
            ThrottleWriteIOPSDevice = List(b, "throttleWriteIOPSDevice", q, ReadThrottle),
        }),
        HugepageLimits = List(e, "hugepageLimits", p, (h, q) => new HugepageLimit { PageSize = Str(h, "pageSize", q), Limit = U64(h, "limit", q) ?? 0 }),
        Network = Obj(e, "network", p, (n, q) => new NetworkResources
        {
            ClassId = U32(n, "classID", q),
            Priorities = List(n, "priorities", q, (x, r) => new InterfacePriority { Name = Str(x, "name", r), Priority = U32(x, "priority", r) ?? 0 }),
        }),
        Rdma = Map(e, "rdma", p, (r, q) => new RdmaLimit { HcaHandles = U32(r, "hcaHandles", q), HcaObjects = U32(r, "hcaObjects", q) }),
        Unified = StrMap(e, "unified", p),
    };

    private ThrottleDevice ReadThrottle(JsonElement e, string p) => new()
    {
        Major = I64(e, "major", p) ?? 0,
        Minor = I64(e, "minor", p) ?? 0,
        Rate = U64(e, "rate", p) ?? 0,
    };

    // ---- typed field access; `p` is the path of the object holding the field ----

    private static string Join(string p, string name) => p.Length == 0 ? name : $"{p}.{name}";

    private void Problem(string path, string message) => _problems.Add(new SpecProblem(path, message));

    private void Wrong(string path, string expected, JsonElement got) => Problem(path, $"expected {expected}, got {Describe(got)}");

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"the string {ValueText.Quoted(e.GetString())}",
        JsonValueKind.Number => $"the number {ValueText.Cut(e.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => $"{e.GetRawText()}",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    /// <summary>The field, or null when it is absent or JSON null (or `obj` is not an object: it was reported).</summary>
    private static JsonElement? Field(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    private static JsonElement? Raw(JsonElement obj, string name) => Field(obj, name)?.Clone();

    private string? Str(JsonElement obj, string name, string p) => Field(obj, name) is { } v ? Text(v, Join(p, name)) : null;

    /// <summary>A string value, or null with a problem reported.</summary>
    private string? Text(JsonElement v, string path)
    {
        if (v.ValueKind != JsonValueKind.String)
        {
            Wrong(path, "a string", v);
            return null;
        }
        var s = v.GetString()!;
        if (s.Contains('\0')) Problem(path, "contains a NUL character (\\u0000): the kernel would cut the string there");
        return s;
    }

    private bool Bool(JsonElement obj, string name, string p) => NullableBool(obj, name, p) ?? false;

    private bool? NullableBool(JsonElement obj, string name, string p)
    {
        switch (Field(obj, name))
        {
            case null: return null;
            case { ValueKind: JsonValueKind.True }: return true;
            case { ValueKind: JsonValueKind.False }: return false;
            case var v:
                Wrong(Join(p, name), "true or false", v.Value);
                return null;
        }
    }

    private uint? U32(JsonElement obj, string name, string p) => Number<uint>(obj, name, p);
    private int? I32(JsonElement obj, string name, string p) => Number<int>(obj, name, p);
    private long? I64(JsonElement obj, string name, string p) => Number<long>(obj, name, p);
    private ulong? U64(JsonElement obj, string name, string p) => Number<ulong>(obj, name, p);

    private T? Number<T>(JsonElement obj, string name, string p) where T : struct, System.Numerics.INumber<T> =>
        Field(obj, name) is { } v ? Number<T>(v, Join(p, name)) : null;

    private T? Number<T>(JsonElement v, string path) where T : struct, System.Numerics.INumber<T>
    {
        if (v.ValueKind == JsonValueKind.Number &&
            T.TryParse(v.GetRawText(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n))
            return n;
        Wrong(path, IntegerKind<T>(), v);
        return null;
    }

    private static string IntegerKind<T>() => typeof(T) switch
    {
        var t when t == typeof(uint) => "an integer from 0 to 4294967295",
        var t when t == typeof(ushort) => "an integer from 0 to 65535",
        var t when t == typeof(int) => "an integer from -2147483648 to 2147483647",
        var t when t == typeof(ulong) => "a non-negative integer",
        _ => "an integer",
    };

    private T? Obj<T>(JsonElement obj, string name, string p, Func<JsonElement, string, T> read) where T : class
    {
        if (Field(obj, name) is not { } v) return null;
        if (v.ValueKind == JsonValueKind.Object) return read(v, Join(p, name));
        Wrong(Join(p, name), "an object", v);
        return null;
    }

    private List<T>? List<T>(JsonElement obj, string name, string p, Func<JsonElement, string, T> read)
    {
        if (Field(obj, name) is not { } v) return null;
        var path = Join(p, name);
        if (v.ValueKind != JsonValueKind.Array)
        {
            Wrong(path, "an array", v);
            return null;
        }
        var list = new List<T>(v.GetArrayLength());
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            var at = $"{path}[{i++}]";
            // A wrong item is still added (read as all defaults) so the validator's indexes stay right.
            if (!typeof(T).IsValueType && typeof(T) != typeof(string) && item.ValueKind != JsonValueKind.Object) Wrong(at, "an object", item);
            list.Add(read(item, at));
        }
        return list;
    }

    private List<string>? StrList(JsonElement obj, string name, string p) => List(obj, name, p, (item, at) => Text(item, at) ?? "");

    private Dictionary<string, T>? Map<T>(JsonElement obj, string name, string p, Func<JsonElement, string, T> read)
    {
        if (Field(obj, name) is not { } v) return null;
        var path = Join(p, name);
        if (v.ValueKind != JsonValueKind.Object)
        {
            Wrong(path, "an object", v);
            return null;
        }
        var map = new Dictionary<string, T>();
        foreach (var property in v.EnumerateObject())
        {
            var key = property.Name;
            var at = $"{path}[{ValueText.Quoted(key)}]";
            if (key.Contains('\0')) Problem(at, "the key contains a NUL character (\\u0000): the kernel would cut the string there");
            if (typeof(T) != typeof(string) && property.Value.ValueKind != JsonValueKind.Object) Wrong(at, "an object", property.Value);
            map[key] = read(property.Value, at);
        }
        return map;
    }

    private Dictionary<string, string>? StrMap(JsonElement obj, string name, string p) => Map(obj, name, p, (item, at) => Text(item, at) ?? "");
}
