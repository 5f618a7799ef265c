namespace LibContainer.Tests.DeviceFilter;

/// <summary>
/// cgroup v1's devices controller, written from the kernel's
/// security/device_cgroup.c (and checked on this machine's kernel), fed the
/// very lines oci-run writes on v1 (DeviceRules.PlanV1). Kept apart from the
/// product's DevicePolicy on purpose: it is the oracle the generated program
/// is compared with. The cgroup's parent is taken to be unrestricted.
/// </summary>
internal sealed class V1DevicesModel
{
    private const int Block = 1, Char = 2;
    private const uint Any = ~0u;

    private sealed class Exception(int type, uint major, uint minor, int access)
    {
        public int Type = type;
        public uint Major = major;
        public uint Minor = minor;
        public int Access = access;
    }

    private bool _defaultAllow = true; // a new cgroup copies its parent's: the root allows everything
    private readonly List<Exception> _exceptions = [];

    /// <summary>A write of one line to devices.allow or devices.deny; false where the kernel says EINVAL.</summary>
    public bool Write(string file, string line)
    {
        var allow = file switch { "devices.allow" => true, "devices.deny" => false, _ => throw new ArgumentException(file) };
        if (line.Length == 0) return false;
        if (line[0] == 'a')
        {
            // The kernel looks no further than the 'a'.
            _defaultAllow = allow;
            _exceptions.Clear();
            return true;
        }
        if (Parse(line) is not { } ex) return false;
        if (allow == _defaultAllow)
        {
            // Takes the access away from the exception with the same type, major and minor, if there is one.
            var same = _exceptions.Find(e => e.Type == ex.Type && e.Major == ex.Major && e.Minor == ex.Minor);
            if (same is not null)
            {
                same.Access &= ~ex.Access;
                if (same.Access == 0) _exceptions.Remove(same);
            }
        }
        else
        {
            var same = _exceptions.Find(e => e.Type == ex.Type && e.Major == ex.Major && e.Minor == ex.Minor);
            if (same is not null) same.Access |= ex.Access;
            else _exceptions.Add(ex);
        }
        return true;
    }

    /// <summary>devcgroup_legacy_check_permission: may a process of the cgroup have this access to this device?</summary>
    public bool Allows(int type, uint major, uint minor, int access)
    {
        if (_defaultAllow)
            return !_exceptions.Any(e => Matches(e, type, major, minor) && (access & e.Access) != 0); // no exception may touch any of it
        return _exceptions.Any(e => Matches(e, type, major, minor) && (access & ~e.Access) == 0);    // one exception must hold all of it
    }

    private static bool Matches(Exception e, int type, uint major, uint minor)
    {
        if ((type & Block) != 0 && (e.Type & Block) == 0) return false;
        if ((type & Char) != 0 && (e.Type & Char) == 0) return false;
        if (e.Major != Any && e.Major != major) return false;
        if (e.Minor != Any && e.Minor != minor) return false;
        return true;
    }

    // "T MAJOR:MINOR ACCESS" as devcgroup_update_access reads it.
    private static Exception? Parse(string line)
    {
        var i = 0;
        int type;
        switch (line[i++])
        {
            case 'b': type = Block; break;
            case 'c': type = Char; break;
            default: return null;
        }
        if (!Space(line, i++)) return null;
        if (Number(line, ref i) is not { } major) return null;
        if (i >= line.Length || line[i++] != ':') return null;
        if (Number(line, ref i) is not { } minor) return null;
        if (!Space(line, i++)) return null;
        var access = 0;
        // At most three letters are read; the end of the string stops early; what follows the third is not looked at.
        for (var count = 0; count < 3 && i < line.Length; count++, i++)
        {
            switch (line[i])
            {
                case 'r': access |= 2; break;
                case 'w': access |= 4; break;
                case 'm': access |= 1; break;
                default: return null;
            }
        }
        return new Exception(type, major, minor, access);
    }

    private static bool Space(string line, int i) => i < line.Length && char.IsWhiteSpace(line[i]);

    private static uint? Number(string line, ref int i)
    {
        if (i < line.Length && line[i] == '*')
        {
            i++;
            return Any;
        }
        var start = i;
        while (i < line.Length && char.IsAsciiDigit(line[i]) && i - start < 11) i++;
        return i > start && uint.TryParse(line.AsSpan(start, i - start), out var n) ? n : null;
    }
}
