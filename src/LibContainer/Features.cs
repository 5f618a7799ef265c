using LibContainer.Kernel;
using Seccomp = LibContainer.Security.Seccomp;

namespace LibContainer;

/// <summary>
/// The runtime-spec "features" document: what this build of oci-run implements,
/// so clients can tell before they ask. Everything it leaves out or marks
/// disabled fails with an error naming the field.
/// </summary>
public static class Features
{
    public static string Json()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = LibContainer.Spec.MinimalJsonEncoder.Instance }))
        {
            json.WriteStartObject();
            json.WriteString("ociVersionMin", "1.0.0");
            json.WriteString("ociVersionMax", Containers.SpecVersion);
            json.WriteStartArray("hooks");
            foreach (var hook in new[] { "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop" }) json.WriteStringValue(hook);
            json.WriteEndArray();
            json.WriteStartArray("mountOptions");
            foreach (var option in MountOptions.Known) json.WriteStringValue(option);
            json.WriteEndArray();
            json.WriteStartObject("linux");
            json.WriteStartArray("namespaces");
            foreach (var ns in new[] { "cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts" }) json.WriteStringValue(ns);
            json.WriteEndArray();
            json.WriteStartArray("capabilities");
            for (var i = 0; i < CapabilityNames.Count; i++) json.WriteStringValue(CapabilityNames.Name(i));
            json.WriteEndArray();
            json.WriteStartObject("cgroup");
            json.WriteBoolean("v1", true);
            json.WriteBoolean("v2", true);
            json.WriteBoolean("systemd", true);
            json.WriteBoolean("systemdUser", false);
            json.WriteBoolean("rdma", true);
            json.WriteEndObject();
            WriteSeccomp(json);
            // As runc's: what this build can do (applied where the host has the module), not what the host has.
            foreach (var (name, enabled) in new[] { ("apparmor", true), ("selinux", true), ("intelRdt", false) })
            {
                json.WriteStartObject(name);
                json.WriteBoolean("enabled", enabled);
                json.WriteEndObject();
            }
            json.WriteStartObject("memoryPolicy");
            WriteList(json, "modes", [.. MemoryPolicyPlan.ModeNames]);
            WriteList(json, "flags", [.. MemoryPolicyPlan.FlagNames]);
            json.WriteEndObject();
            json.WriteStartObject("netDevices");
            json.WriteBoolean("enabled", true);
            json.WriteEndObject();
            json.WriteStartObject("mountExtensions");
            json.WriteStartObject("idmap");
            json.WriteBoolean("enabled", false);
            json.WriteEndObject(); // idmap
            json.WriteEndObject(); // mountExtensions
            json.WriteEndObject(); // linux
            json.WriteStartObject("annotations");
            json.WriteString("io.github.seccomp.libseccomp.version", Seccomp.SeccompFeatures.LibseccompVersion());
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteSeccomp(Utf8JsonWriter json)
    {
        json.WriteStartObject("seccomp");
        json.WriteBoolean("enabled", true);
        WriteList(json, "actions", Seccomp.SeccompFeatures.Actions());
        WriteList(json, "operators", Seccomp.SeccompFeatures.Operators());
        WriteList(json, "archs", Seccomp.SeccompFeatures.Architectures());
        WriteList(json, "knownFlags", Seccomp.SeccompFeatures.KnownFlags());
        WriteList(json, "supportedFlags", Seccomp.SeccompFeatures.SupportedFlags());
        json.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter json, string name, List<string> items)
    {
        json.WriteStartArray(name);
        foreach (var item in items) json.WriteStringValue(item);
        json.WriteEndArray();
    }
}
