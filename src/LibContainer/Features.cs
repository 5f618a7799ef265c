using LibContainer.Kernel;

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
            foreach (var ns in new[] { "cgroup", "ipc", "mount", "network", "pid", "uts" }) json.WriteStringValue(ns);
            json.WriteEndArray();
            json.WriteStartArray("capabilities");
            for (var i = 0; i < CapabilityNames.Count; i++) json.WriteStringValue(CapabilityNames.Name(i));
            json.WriteEndArray();
            json.WriteStartObject("cgroup");
            json.WriteBoolean("v1", true);
            json.WriteBoolean("v2", true);
            json.WriteBoolean("systemd", false);
            json.WriteBoolean("systemdUser", false);
            json.WriteBoolean("rdma", true);
            json.WriteEndObject();
            foreach (var disabled in new[] { "seccomp", "apparmor", "selinux", "intelRdt" })
            {
                json.WriteStartObject(disabled);
                json.WriteBoolean("enabled", false);
                json.WriteEndObject();
            }
            json.WriteStartObject("mountExtensions");
            json.WriteStartObject("idmap");
            json.WriteBoolean("enabled", false);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
