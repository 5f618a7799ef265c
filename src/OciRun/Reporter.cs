using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using LibContainer;

namespace OciRun;

/// <summary>
/// Reports errors as runc does: a plain line on stderr, and with --log a line
/// in the log file, JSON ({"level","msg","time"}) with --log-format json,
/// which containerd's shim reads back to tell the user why a call failed.
/// </summary>
public sealed partial class Reporter : IDisposable
{
    private readonly int _logFd; // -1 without --log
    private readonly bool _json;

    private Reporter(int logFd, bool json, bool debug)
    {
        _logFd = logFd;
        _json = json;
        Debug = debug;
    }

    public bool Debug { get; }

    /// <summary>Stderr only: for errors found before --log and --log-format could be used.</summary>
    public static Reporter StderrOnly(bool debug) => new(-1, json: false, debug);

    /// <summary>
    /// Checks --log-format and opens --log as runc does before any command:
    /// created if missing, appended to, and an error if it cannot be opened.
    /// </summary>
    public static Reporter Open(string? logPath, string? logFormat, bool debug)
    {
        var json = logFormat switch
        {
            null or "" or "text" => false,
            "json" => true,
            _ => throw new ContainerError($"invalid log-format: {logFormat}"), // runc's words
        };
        if (string.IsNullOrEmpty(logPath)) return new(-1, json, debug);
        const int O_WRONLY = 0x1, O_CREAT = 0x40, O_APPEND = 0x400, O_CLOEXEC = 0x80000;
        var fd = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0x1A4 /* 0644 */);
        if (fd < 0) throw new ContainerError($"open {logPath}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        return new(fd, json, debug);
    }

    public int Error(string message, int status = 1)
    {
        message = message.ReplaceLineEndings(" "); // one line, whatever the message holds
        StandardOutput.Error($"oci-run: {message}\n");
        Write("error", message);
        return status;
    }

    /// <summary>Something that did not fail the command but a person should know: stderr and the log, level "warning".</summary>
    public void Warning(string message)
    {
        message = message.ReplaceLineEndings(" ");
        StandardOutput.Error($"oci-run: warning: {message}\n");
        Write("warning", message);
    }

    /// <summary>With --debug: to the log, or to stderr when there is no log, as runc does.</summary>
    public void DebugLine(string message)
    {
        if (!Debug) return;
        if (_logFd < 0) StandardOutput.Error($"oci-run: debug: {message}\n");
        else Write("debug", message);
    }

    private void Write(string level, string message)
    {
        if (_logFd < 0) return;
        var time = LibContainer.State.Timestamp.UtcNow();
        string line;
        if (_json)
        {
            // A lone surrogate would make the JSON writer throw; a round trip through UTF-8 replaces it.
            message = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(message));
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
        StandardOutput.WriteTo(_logFd, line + "\n"); // a failed write leaves the stderr line standing
    }

    public void Dispose()
    {
        if (_logFd >= 0) close(_logFd);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
