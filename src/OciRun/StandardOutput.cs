using System.Text;

namespace OciRun;

/// <summary>Writes a command's output with one write(2): Console.Out would split it into many.</summary>
public static class StandardOutput
{
    public static void Write(string text)
    {
        using var stdout = Console.OpenStandardOutput();
        stdout.Write(Encoding.UTF8.GetBytes(text));
    }
}
