namespace LibContainer.Spec;

/// <summary>
/// A value from config.json as an error message shows it: quoted, control
/// characters escaped (the CLI prints one line) and cut to about 100
/// characters, saying so (a 100 KB hostname must not become a 100 KB error).
/// </summary>
internal static class ValueText
{
    public const int MaxShown = 100;

    /// <summary>"value" (null shows as ""), JSON-escaped, cut when long.</summary>
    public static string Quoted(string? value)
    {
        value ??= "";
        var cut = value.Length > MaxShown;
        var shown = cut ? value[..CutAt(value)] : value;
        var text = new System.Text.StringBuilder(shown.Length + 40).Append('"');
        foreach (var c in shown)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case < ' ' or '\u007f' or '\u2028' or '\u2029': text.Append($"\\u{(int)c:x4}"); break;
                default: text.Append(c); break;
            }
        }
        text.Append('"');
        if (cut) text.Append($"... (cut: {value.Length} characters in all)");
        return text.ToString();
    }

    /// <summary>Raw text (a number as written) cut the same way.</summary>
    public static string Cut(string text) =>
        text.Length > MaxShown ? $"{text[..CutAt(text)]}... (cut: {text.Length} characters in all)" : text;

    // Never between the halves of a surrogate pair.
    private static int CutAt(string value) => char.IsHighSurrogate(value[MaxShown - 1]) ? MaxShown - 1 : MaxShown;
}
