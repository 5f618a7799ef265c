using System.Text.Json;
using System.Text.Json.Serialization;
using LibContainer.Spec;

namespace LibContainer.Tests;

/// <summary>
/// The oracle SpecReader is compared with: System.Text.Json's source generator
/// over the product's own records, so a field added to the records but not to
/// the hand reader shows up. Names match without regard to case, which maps
/// "containerID", "execCPUAffinity" or "kernelTCP" onto the records' properties.
/// </summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RuntimeSpec))]
internal sealed partial class SpecOracle : JsonSerializerContext
{
    public static RuntimeSpec Read(string json) => JsonSerializer.Deserialize(json, Default.RuntimeSpec)!;
}
