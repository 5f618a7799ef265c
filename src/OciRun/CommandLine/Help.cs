using System.Text;

namespace OciRun.CommandLine;

/// <summary>The text `--help` prints: the verbs, or one verb's usage and flags.</summary>
public static class Help
{
    public static string For(Verb? verb, Flag[] globals, IReadOnlyList<Verb> verbs)
    {
        var text = new StringBuilder();
        if (verb is null)
        {
            text.Append("oci-run: an OCI container runtime, command compatible with runc\n\n");
            text.Append("usage: oci-run [global flags] COMMAND [flags] [arguments]\n\ncommands:\n");
            foreach (var v in verbs) text.Append($"  {v.Name,-10} {v.Summary}\n");
            AppendFlags(text, "global flags", globals);
        }
        else
        {
            text.Append($"oci-run {verb.Name}: {verb.Summary}\n\nusage: oci-run {verb.Name} [flags] {verb.Usage}\n");
            AppendFlags(text, "flags", verb.Flags);
        }
        return text.ToString();
    }

    private static void AppendFlags(StringBuilder text, string title, Flag[] flags)
    {
        if (flags.Length == 0) return;
        text.Append($"\n{title}:\n");
        foreach (var flag in flags)
        {
            var names = (flag.Short is { } s ? $"-{s}, " : "    ") + $"--{flag.Name}" + (flag.TakesValue ? $" {flag.ValueName}" : "");
            var fallback = flag.Default is null ? "" : $" (default: {flag.Default})";
            text.Append($"  {names,-28} {flag.Description}{fallback}\n");
        }
    }
}
