using System.Text;
using System.Text.Encodings.Web;

namespace LibContainer.Spec;

/// <summary>
/// Escapes only what JSON requires: quote, backslash and control characters;
/// everything else is written as UTF-8, as Go's encoder does for non-ASCII.
/// The built-in encoders build a 64 Ki-entry table of allowed characters in
/// their static constructors, a cost every oci-run process paid on its first
/// JSON string.
/// </summary>
public sealed class MinimalJsonEncoder : JavaScriptEncoder
{
    public static readonly MinimalJsonEncoder Instance = new();

    private MinimalJsonEncoder() { }

    public override int MaxOutputCharactersPerInputCharacter => 6; // \uXXXX

    public override bool WillEncode(int unicodeScalar) => unicodeScalar is < 0x20 or '"' or '\\';

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        for (var i = 0; i < textLength; i++)
            if (WillEncode(text[i])) return i;
        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        numberOfCharactersWritten = 0;
        if (!WillEncode(unicodeScalar))
        {
            if (!Rune.TryCreate(unicodeScalar, out var rune) || !rune.TryEncodeToUtf16(new Span<char>(buffer, bufferLength), out var written))
                return false;
            numberOfCharactersWritten = written;
            return true;
        }
        var shortForm = unicodeScalar switch { '"' => '"', '\\' => '\\', '\n' => 'n', '\r' => 'r', '\t' => 't', _ => '\0' };
        if (shortForm != '\0')
        {
            if (bufferLength < 2) return false;
            buffer[0] = '\\';
            buffer[1] = shortForm;
            numberOfCharactersWritten = 2;
            return true;
        }
        if (bufferLength < 6) return false;
        const string Hex = "0123456789abcdef";
        buffer[0] = '\\';
        buffer[1] = 'u';
        buffer[2] = '0';
        buffer[3] = '0';
        buffer[4] = Hex[unicodeScalar >> 4];
        buffer[5] = Hex[unicodeScalar & 0xf];
        numberOfCharactersWritten = 6;
        return true;
    }
}
