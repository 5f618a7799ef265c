namespace LibContainer.Spec;

/// <summary>
/// Checks config.json before anything is created. Every problem is reported
/// with the JSON path of the field, and a field this runtime does not
/// implement yet is an error naming it: nothing is silently ignored.
/// </summary>
public static class SpecValidator
{
    /// <summary>Throws one error listing every problem found.</summary>
    public static void Validate(RuntimeSpec spec)
    {
        var problems = Problems(spec);
        if (problems.Count > 0) throw SpecProblems.Error(problems);
    }

    public static List<string> Problems(RuntimeSpec spec)
    {
        var p = new List<string>();
        if (OciVersion.Problem(spec.OciVersion) is { } version) p.Add(version);
        CheckPlatform(spec, p);
        CheckRoot(spec, p);
        CheckUtsNames(spec, p);
        CheckProcess(spec.Process, p);
        CheckNamespaces(spec, p);
        CheckMounts(spec.Mounts, p);
        CheckHooks(spec.Hooks, p);
        if (spec.Linux is { } linux) CheckLinux(linux, p);
        return p;
    }

    private static string NotYet(string field) => $"{field}: not supported by oci-run yet";

    private static void CheckPlatform(RuntimeSpec spec, List<string> p)
    {
        if (spec.Linux is null) p.Add("linux: missing: oci-run runs Linux containers");
        if (spec.Windows is not null) p.Add("windows: not supported on Linux");
        if (spec.Solaris is not null) p.Add("solaris: not supported on Linux");
        if (spec.Vm is not null) p.Add(NotYet("vm"));
        if (spec.Zos is not null) p.Add("zos: not supported on Linux");
    }

    private static void CheckRoot(RuntimeSpec spec, List<string> p)
    {
        if (string.IsNullOrEmpty(spec.Root?.Path)) p.Add("root.path: missing");
    }

    // The kernel's limit (__NEW_UTS_LEN): past it sethostname fails with a bare "Invalid argument".
    private const int MaxUtsName = 64;

    private static void CheckUtsNames(RuntimeSpec spec, List<string> p)
    {
        if (spec.Hostname is { } host && System.Text.Encoding.UTF8.GetByteCount(host) > MaxUtsName)
            p.Add($"hostname: {ValueText.Quoted(host)} is longer than {MaxUtsName} bytes, the kernel's limit");
        if (spec.Domainname is { } domain && System.Text.Encoding.UTF8.GetByteCount(domain) > MaxUtsName)
            p.Add($"domainname: {ValueText.Quoted(domain)} is longer than {MaxUtsName} bytes, the kernel's limit");
    }

    private static void CheckProcess(Process? process, List<string> p)
    {
        if (process is null)
        {
            p.Add("process: missing");
            return;
        }
        if (process.Args is not { Count: > 0 }) p.Add("process.args: must name the program to run");
        if (string.IsNullOrEmpty(process.Cwd) || !process.Cwd.StartsWith('/'))
            p.Add($"process.cwd: must be an absolute path, not {ValueText.Quoted(process.Cwd)}");
        if (process.Terminal) p.Add(NotYet("process.terminal"));
        if (process.CommandLine is not null) p.Add("process.commandLine: Windows only");
        if (!string.IsNullOrEmpty(process.User?.Username)) p.Add("process.user.username: Windows only");
        if (!string.IsNullOrEmpty(process.ApparmorProfile)) p.Add(NotYet("process.apparmorProfile"));
        if (!string.IsNullOrEmpty(process.SelinuxLabel)) p.Add(NotYet("process.selinuxLabel"));
        if (process.IoPriority is not null) p.Add(NotYet("process.ioPriority"));
        if (process.Scheduler is not null) p.Add(NotYet("process.scheduler"));
        if (process.ExecCpuAffinity is not null) p.Add(NotYet("process.execCPUAffinity"));

        var seen = new HashSet<string>();
        for (var i = 0; i < (process.Rlimits?.Count ?? 0); i++)
        {
            var r = process.Rlimits![i];
            var where = $"process.rlimits[{i}]";
            if (r.Type is null || Kernel.RlimitNames.Number(r.Type) is null) p.Add($"{where}.type: unknown rlimit {ValueText.Quoted(r.Type)}");
            else if (!seen.Add(r.Type)) p.Add($"{where}.type: {r.Type} is set twice");
            if (r.Soft > r.Hard) p.Add($"{where}: soft limit {r.Soft} is above hard limit {r.Hard}");
        }

        if (process.Capabilities is { } caps)
        {
            void Check(List<string>? names, string set)
            {
                for (var i = 0; i < (names?.Count ?? 0); i++)
                    if (Kernel.CapabilityNames.Number(names![i]) is null)
                        p.Add($"process.capabilities.{set}[{i}]: unknown capability {ValueText.Quoted(names[i])}");
            }
            Check(caps.Bounding, "bounding");
            Check(caps.Effective, "effective");
            Check(caps.Inheritable, "inheritable");
            Check(caps.Permitted, "permitted");
            Check(caps.Ambient, "ambient");
        }
    }

    private static void CheckNamespaces(RuntimeSpec spec, List<string> p)
    {
        var list = spec.Linux?.Namespaces ?? [];
        var seen = new HashSet<string>();
        for (var i = 0; i < list.Count; i++)
        {
            var ns = list[i];
            var where = $"linux.namespaces[{i}]";
            if (ns.Type is null || !Kernel.NamespaceTypes.CloneFlags.ContainsKey(ns.Type))
            {
                p.Add($"{where}.type: unknown namespace type {ValueText.Quoted(ns.Type)}");
                continue;
            }
            if (!seen.Add(ns.Type)) p.Add($"{where}.type: namespace {ValueText.Quoted(ns.Type)} is listed twice");
            if (ns.Type is "user" or "time") p.Add(NotYet($"{where}: {ns.Type} namespace"));
            if (ns.Path is { Length: > 0 } path && !path.StartsWith('/'))
                p.Add($"{where}.path: must be absolute, not {ValueText.Quoted(path)}");
        }
        if (spec.Linux is not null && !seen.Contains("mount"))
            p.Add("linux.namespaces: a mount namespace is required to set up the root filesystem");
        if (!string.IsNullOrEmpty(spec.Hostname) && !seen.Contains("uts"))
            p.Add("hostname: setting the hostname needs a UTS namespace in linux.namespaces");
        if (!string.IsNullOrEmpty(spec.Domainname) && !seen.Contains("uts"))
            p.Add("domainname: setting the domain name needs a UTS namespace in linux.namespaces");
    }

    private static void CheckMounts(List<Mount>? mounts, List<string> p)
    {
        for (var i = 0; i < (mounts?.Count ?? 0); i++)
        {
            var m = mounts![i];
            var where = $"mounts[{i}]";
            if (string.IsNullOrEmpty(m.Destination) || !m.Destination.StartsWith('/'))
                p.Add($"{where}.destination: must be an absolute path, not {ValueText.Quoted(m.Destination)}");
            if (m.UidMappings is { Count: > 0 } || m.GidMappings is { Count: > 0 })
                p.Add(NotYet($"{where}.uidMappings/gidMappings (idmapped mounts)"));
            try
            {
                Kernel.MountOptions.Parse(m.Options, $"{where}.options");
            }
            catch (ContainerError e)
            {
                p.Add(e.Message["config.json: ".Length..]);
            }
        }
    }

    private static void CheckHooks(Hooks? hooks, List<string> p)
    {
        if (hooks is null) return;
        void Check(List<Hook>? list, string name)
        {
            if (list is { Count: > 0 }) p.Add(NotYet($"hooks.{name}"));
        }
        Check(hooks.Prestart, "prestart");
        Check(hooks.CreateRuntime, "createRuntime");
        Check(hooks.CreateContainer, "createContainer");
        Check(hooks.StartContainer, "startContainer");
        Check(hooks.Poststart, "poststart");
        Check(hooks.Poststop, "poststop");
    }

    private static void CheckLinux(Linux linux, List<string> p)
    {
        if (linux.UidMappings is { Count: > 0 }) p.Add(NotYet("linux.uidMappings"));
        if (linux.GidMappings is { Count: > 0 }) p.Add(NotYet("linux.gidMappings"));
        if (linux.Seccomp is not null) p.Add(NotYet("linux.seccomp"));
        if (!string.IsNullOrEmpty(linux.MountLabel)) p.Add(NotYet("linux.mountLabel"));
        if (linux.IntelRdt is not null) p.Add(NotYet("linux.intelRdt"));
        if (linux.Personality is not null) p.Add(NotYet("linux.personality"));
        if (linux.TimeOffsets is { Count: > 0 }) p.Add(NotYet("linux.timeOffsets"));
        if (linux.MemoryPolicy is not null) p.Add(NotYet("linux.memoryPolicy"));
        if (linux.NetDevices is { Count: > 0 }) p.Add(NotYet("linux.netDevices"));
        if (!string.IsNullOrEmpty(linux.RootfsPropagation) && Kernel.MountOptions.ParsePropagation(linux.RootfsPropagation) is null)
            p.Add($"linux.rootfsPropagation: unknown propagation {ValueText.Quoted(linux.RootfsPropagation)}");

        for (var i = 0; i < (linux.Devices?.Count ?? 0); i++)
        {
            var d = linux.Devices![i];
            var where = $"linux.devices[{i}]";
            if (d.Type is not ("c" or "b" or "u" or "p")) p.Add($"{where}.type: must be c, b, u or p, not {ValueText.Quoted(d.Type)}");
            if (string.IsNullOrEmpty(d.Path) || !d.Path.StartsWith('/')) p.Add($"{where}.path: must be an absolute path");
        }

        if (linux.Resources is { } r) CheckResources(r, p);
        CheckSysctl(linux, p);
    }

    private static readonly HashSet<string> IpcSysctls =
        ["kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"];

    // A sysctl is only safe to set if it belongs to a namespace the container has of its own;
    // anything else would change the host.
    private static void CheckSysctl(Linux linux, List<string> p)
    {
        // A namespace the container creates or joins by path is not the runtime's own (the host's).
        var own = new HashSet<string?>();
        foreach (var n in linux.Namespaces ?? []) own.Add(n.Type);
        foreach (var key in (linux.Sysctl ?? []).Keys)
        {
            var where = $"linux.sysctl[{ValueText.Quoted(key)}]";
            string? needs = key switch
            {
                _ when IpcSysctls.Contains(key) || key.StartsWith("fs.mqueue.", StringComparison.Ordinal) => "ipc",
                _ when key.StartsWith("net.", StringComparison.Ordinal) => "network",
                "kernel.hostname" or "kernel.domainname" => "uts",
                _ => null,
            };
            if (needs is null) p.Add($"{where}: not in a kernel namespace the container can have: setting it would change the host");
            else if (!own.Contains(needs))
                p.Add($"{where}: needs a {needs} namespace of the container's own in linux.namespaces");
        }
    }

    private static void CheckResources(Resources r, List<string> p)
    {
        for (var i = 0; i < (r.Devices?.Count ?? 0); i++)
        {
            var d = r.Devices![i];
            if (d.Type is not (null or "" or "a" or "c" or "b"))
                p.Add($"linux.resources.devices[{i}].type: must be a, c or b, not {ValueText.Quoted(d.Type)}");
            if (d.Access is { Length: > 0 } access && access.AsSpan().ContainsAnyExcept('r', 'w', 'm'))
                p.Add($"linux.resources.devices[{i}].access: must be made of r, w and m, not {ValueText.Quoted(access)}");
        }
        // Records compare by value: a section equal to an empty one asks for nothing.
        if (r.Memory is not null && r.Memory != new MemoryResources()) p.Add(NotYet("linux.resources.memory"));
        if (r.Cpu is not null && r.Cpu != new CpuResources()) p.Add(NotYet("linux.resources.cpu"));
        if (r.Pids is not null && r.Pids != new PidsResources()) p.Add(NotYet("linux.resources.pids"));
        if (r.BlockIO is { } b && (b.Weight is not null || b.LeafWeight is not null || b.WeightDevice is { Count: > 0 }
            || b.ThrottleReadBpsDevice is { Count: > 0 } || b.ThrottleWriteBpsDevice is { Count: > 0 }
            || b.ThrottleReadIOPSDevice is { Count: > 0 } || b.ThrottleWriteIOPSDevice is { Count: > 0 }))
            p.Add(NotYet("linux.resources.blockIO"));
        if (r.HugepageLimits is { Count: > 0 }) p.Add(NotYet("linux.resources.hugepageLimits"));
        if (r.Network is { } n && (n.ClassId is not null || n.Priorities is { Count: > 0 })) p.Add(NotYet("linux.resources.network"));
        if (r.Rdma is { Count: > 0 }) p.Add(NotYet("linux.resources.rdma"));
        if (r.Unified is { Count: > 0 }) p.Add(NotYet("linux.resources.unified"));
    }
}
