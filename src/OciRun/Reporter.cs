using System.Text;
using System.Text.Json;

namespace OciRun;

/// <summary>
/// Reports errors as runc does: a plain line on stderr, and with --log a line
/// in the log file, JSON ({"level","msg","time"}) with --log-format json,
/// which containerd's shim reads back to tell the user why a call failed.
/// </summary>
public sealed class Reporter(string? logPath, string logFormat, bool debug)
{
    public bool Debug => debug;

    public int Error(string message)
    {
        StandardOutput.Error($"oci-run: {message}\n");
        Write("error", message);
        return 1;
    }

    /// <summary>With --debug: to the log, or to stderr when there is no log, as runc does.</summary>
    public void DebugLine(string message)
    {
        if (!debug) return;
        if (string.IsNullOrEmpty(logPath)) StandardOutput.Error($"oci-run: debug: {message}\n");
        else Write("debug", message);
    }

    private void Write(string level, string message)
    {
        if (string.IsNullOrEmpty(logPath)) return;
        var time = LibContainer.State.Timestamp.UtcNow();
        string line;
        if (logFormat == "json")
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = LibContainer.Spec.MinimalJsonEncoder.Instance }))
            {
                json.WriteStartObject();
                json.WriteString("level", level);
                json.WriteString("msg", message);
                json.WriteString("time", time);
                json.WriteEndObject();
            }
            line = Encoding.UTF8.GetString(buffer.ToArray());
        }
        else
        {
            line = $"time=\"{time}\" level={level} msg=\"{message.Replace("\"", "\\\"")}\"";
        }
        try { File.AppendAllText(logPath, line + "\n"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* the stderr line still stands */ }
    }
}
