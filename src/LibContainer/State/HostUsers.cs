namespace LibContainer.State;

/// <summary>User names from the host's /etc/passwd, read once and only when asked.</summary>
public sealed class HostUsers
{
    private Dictionary<uint, string>? _names;

    public string NameOf(uint uid)
    {
        _names ??= Load();
        return _names.TryGetValue(uid, out var name) ? name : uid.ToString();
    }

    private static Dictionary<uint, string> Load()
    {
        var names = new Dictionary<uint, string>();
        try
        {
            foreach (var line in File.ReadLines("/etc/passwd"))
            {
                var f = line.Split(':');
                if (f.Length > 2 && uint.TryParse(f[2], out var uid)) names.TryAdd(uid, f[0]);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return names;
    }
}
