using LibContainer.Spec;

namespace LibContainer.Validation;

/// <summary>
/// Which `ociVersion` a config.json may declare: a SemVer 2.0 version
/// (MAJOR.MINOR.PATCH, optional -prerelease and +build) of major version 1.
/// A newer 1.x than Containers.SpecVersion is accepted, since minor versions
/// only add fields, and fields this runtime lacks are refused by name anyway.
/// </summary>
internal sealed class OciVersionRule : IRule
{
    public void Check(RuntimeSpec spec, ProblemList problems)
    {
        var version = spec.OciVersion;
        if (version is null)
            problems.Add("ociVersion", $"missing: say which runtime-spec version the config follows, e.g. \"{Containers.SpecVersion}\"");
        else if (!IsSemVer(version, out var major))
            problems.Add("ociVersion", $"{ValueText.Quoted(version)} is not a version: expected MAJOR.MINOR.PATCH, e.g. \"{Containers.SpecVersion}\"");
        else if (major != 1)
            problems.Add("ociVersion", $"{ValueText.Quoted(version)} is not supported: oci-run implements runtime-spec 1.x (up to {Containers.SpecVersion})");
    }

    private static bool IsSemVer(string version, out long major)
    {
        major = -1;
        var rest = version.AsSpan();
        var plus = rest.IndexOf('+');
        if (plus >= 0)
        {
            if (!Identifiers(rest[(plus + 1)..], numericRule: false)) return false;
            rest = rest[..plus];
        }
        var dash = rest.IndexOf('-');
        if (dash >= 0)
        {
            if (!Identifiers(rest[(dash + 1)..], numericRule: true)) return false;
            rest = rest[..dash];
        }
        Span<Range> parts = stackalloc Range[4];
        if (rest.Split(parts, '.') != 3) return false;
        foreach (var part in parts[..3])
            if (!Numeric(rest[part])) return false;
        // A major version too big for a long is still a version, just not 1.
        major = long.TryParse(rest[parts[0]], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var m) ? m : long.MaxValue;
        return true;
    }

    // Dot-separated, non-empty, [0-9A-Za-z-]; in a prerelease a numeric identifier has no leading zero.
    private static bool Identifiers(ReadOnlySpan<char> text, bool numericRule)
    {
        foreach (var part in text.Split('.'))
        {
            var id = text[part];
            if (id.IsEmpty) return false;
            foreach (var c in id)
                if (!char.IsAsciiLetterOrDigit(c) && c != '-') return false;
            if (numericRule && !id.ContainsAnyExceptInRange('0', '9') && !Numeric(id)) return false;
        }
        return true;
    }

    private static bool Numeric(ReadOnlySpan<char> digits) =>
        !digits.IsEmpty && !digits.ContainsAnyExceptInRange('0', '9') && (digits.Length == 1 || digits[0] != '0');
}
