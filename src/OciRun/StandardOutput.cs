using System.Text;

namespace OciRun;

/// <summary>Writes text to stdout or stderr with one write(2): Console.Out would split it into many.</summary>
public static class StandardOutput
{
    public static void Write(string text)
    {
        using var stdout = Console.OpenStandardOutput();
        stdout.Write(Encoding.UTF8.GetBytes(text));
    }

    public static void Error(string text)
    {
        using var stderr = Console.OpenStandardError();
        stderr.Write(Encoding.UTF8.GetBytes(text));
    }
}
