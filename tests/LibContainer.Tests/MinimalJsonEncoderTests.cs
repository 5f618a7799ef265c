using System.Text;
using System.Text.Json;
using LibContainer.Spec;

namespace LibContainer.Tests;

public sealed class MinimalJsonEncoderTests
{
    private static string Write(string value)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = MinimalJsonEncoder.Instance }))
            json.WriteStringValue(value);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    [Theory]
    [InlineData("plain /path-1", "\"plain /path-1\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    [InlineData("<&>'+", "\"<&>'+\"")]
    [InlineData("a\nb\tc", "\"a\\nb\\tc\"")]
    [InlineData("naïve 容器 🐳", "\"naïve 容器 🐳\"")]
    public void Escapes_only_what_json_requires(string value, string expected) => Write(value).Should().Be(expected);

    [Fact]
    public void Control_characters_are_escaped_and_read_back()
    {
        var value = "tab\tnew\nline\u0001end";
        var written = Write(value);
        written.Should().NotContain("\n").And.NotContain("\t").And.NotContain("\u0001");
        JsonDocument.Parse(written).RootElement.GetString().Should().Be(value);
    }
}
