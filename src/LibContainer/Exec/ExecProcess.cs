using System.Globalization;
using LibContainer.Spec;

namespace LibContainer.Exec;

/// <summary>
/// The process `exec` runs, decided as runc 1.1 decides it: the process file
/// as it is, or config.json's process with the command and the flags' changes.
/// </summary>
public static class ExecProcess
{
    public static Process For(Process fromConfig, ExecRequest request)
    {
        var p = fromConfig with { Args = [.. request.Args], Terminal = request.Tty };
        if (!string.IsNullOrEmpty(request.Cwd)) p = p with { Cwd = request.Cwd };
        if (!string.IsNullOrEmpty(request.ApparmorProfile)) p = p with { ApparmorProfile = request.ApparmorProfile };
        if (!string.IsNullOrEmpty(request.ProcessLabel)) p = p with { SelinuxLabel = request.ProcessLabel };
        if (request.Capabilities.Count > 0)
        {
            var caps = p.Capabilities ?? new Capabilities();
            p = p with
            {
                Capabilities = caps with
                {
                    Bounding = [.. caps.Bounding ?? [], .. request.Capabilities],
                    Effective = [.. caps.Effective ?? [], .. request.Capabilities],
                    Permitted = [.. caps.Permitted ?? [], .. request.Capabilities],
                    Ambient = [.. caps.Ambient ?? [], .. request.Capabilities],
                },
            };
        }
        if (request.Env.Count > 0) p = p with { Env = [.. p.Env ?? [], .. request.Env] };
        if (request.NoNewPrivileges is { } nnp) p = p with { NoNewPrivileges = nnp };
        var user = p.User ?? new User();
        if (!string.IsNullOrEmpty(request.User)) user = WithUser(user, request.User);
        if (request.AdditionalGids.Count > 0) user = user with { AdditionalGids = [.. user.AdditionalGids ?? [], .. Gids(request.AdditionalGids)] };
        return p with { User = user };
    }

    private static User WithUser(User user, string text)
    {
        var parts = text.Split(':', 2);
        var uid = Id(parts[0], "uid", text);
        return parts.Length == 2 ? user with { Uid = uid, Gid = Id(parts[1], "gid", text) } : user with { Uid = uid };
    }

    private static uint Id(string text, string what, string flag) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new ContainerError($"--user \"{flag}\": the {what} must be a number (uid[:gid]), not \"{text}\"");

    private static IEnumerable<uint> Gids(IReadOnlyList<string> texts)
    {
        foreach (var text in texts)
            yield return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var gid)
                ? gid
                : throw new ContainerError($"--additional-gids \"{text}\": must be a non-negative number");
    }
}
