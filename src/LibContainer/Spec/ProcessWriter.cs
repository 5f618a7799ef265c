namespace LibContainer.Spec;

/// <summary>
/// Writes a Process as the runtime spec's JSON, so `exec` can hand the
/// process it decided on to init, which reads it back with SpecReader.
/// Fields left null are left out, as config.json would leave them.
/// </summary>
public static class ProcessWriter
{
    public static byte[] Encode(Process process)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = MinimalJsonEncoder.Instance }))
            Write(json, process);
        return buffer.ToArray();
    }

    public static void Write(Utf8JsonWriter json, Process p)
    {
        json.WriteStartObject();
        json.WriteBoolean("terminal", p.Terminal);
        if (p.ConsoleSize is { } size)
        {
            json.WriteStartObject("consoleSize");
            json.WriteNumber("height", size.Height);
            json.WriteNumber("width", size.Width);
            json.WriteEndObject();
        }
        if (p.User is { } user)
        {
            json.WriteStartObject("user");
            json.WriteNumber("uid", user.Uid);
            json.WriteNumber("gid", user.Gid);
            if (user.Umask is { } umask) json.WriteNumber("umask", umask);
            if (user.AdditionalGids is { } gids)
            {
                json.WriteStartArray("additionalGids");
                foreach (var gid in gids) json.WriteNumberValue(gid);
                json.WriteEndArray();
            }
            if (user.Username is { } name) json.WriteString("username", name);
            json.WriteEndObject();
        }
        Strings(json, "args", p.Args);
        if (p.CommandLine is { } commandLine) json.WriteString("commandLine", commandLine);
        Strings(json, "env", p.Env);
        if (p.Cwd is { } cwd) json.WriteString("cwd", cwd);
        if (p.Capabilities is { } caps)
        {
            json.WriteStartObject("capabilities");
            Strings(json, "bounding", caps.Bounding);
            Strings(json, "effective", caps.Effective);
            Strings(json, "inheritable", caps.Inheritable);
            Strings(json, "permitted", caps.Permitted);
            Strings(json, "ambient", caps.Ambient);
            json.WriteEndObject();
        }
        if (p.Rlimits is { } rlimits)
        {
            json.WriteStartArray("rlimits");
            foreach (var r in rlimits)
            {
                json.WriteStartObject();
                if (r.Type is { } type) json.WriteString("type", type);
                json.WriteNumber("hard", r.Hard);
                json.WriteNumber("soft", r.Soft);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteBoolean("noNewPrivileges", p.NoNewPrivileges);
        if (p.ApparmorProfile is { } apparmor) json.WriteString("apparmorProfile", apparmor);
        if (p.OomScoreAdj is { } oom) json.WriteNumber("oomScoreAdj", oom);
        if (p.SelinuxLabel is { } label) json.WriteString("selinuxLabel", label);
        if (p.IoPriority is { } io)
        {
            json.WriteStartObject("ioPriority");
            if (io.Class is { } ioClass) json.WriteString("class", ioClass);
            json.WriteNumber("priority", io.Priority);
            json.WriteEndObject();
        }
        if (p.Scheduler is { } s)
        {
            json.WriteStartObject("scheduler");
            if (s.Policy is { } policy) json.WriteString("policy", policy);
            json.WriteNumber("nice", s.Nice);
            json.WriteNumber("priority", s.Priority);
            Strings(json, "flags", s.Flags);
            json.WriteNumber("runtime", s.Runtime);
            json.WriteNumber("deadline", s.Deadline);
            json.WriteNumber("period", s.Period);
            json.WriteEndObject();
        }
        if (p.ExecCpuAffinity is { } affinity)
        {
            json.WriteStartObject("execCPUAffinity");
            if (affinity.Initial is { } initial) json.WriteString("initial", initial);
            if (affinity.Final is { } final) json.WriteString("final", final);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter json, string name, List<string>? values)
    {
        if (values is null) return;
        json.WriteStartArray(name);
        foreach (var v in values) json.WriteStringValue(v);
        json.WriteEndArray();
    }
}
