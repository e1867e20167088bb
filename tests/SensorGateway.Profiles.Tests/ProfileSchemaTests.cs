using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SensorGateway.Profiles.Tests;

/// <summary>The documented JSON Schema and the loader agree: every shipped profile validates, and the schema rejects what the loader rejects.</summary>
public sealed class ProfileSchemaTests
{
    private static readonly string s_profiles = Path.Combine(AppContext.BaseDirectory, "firmware-profiles");
    private static readonly JsonSchema s_schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(s_profiles, "schema", "firmware-profile.schema.json")));

    public static TheoryData<string> ShippedProfiles() =>
        new(Directory.EnumerateFiles(s_profiles, "*.yaml", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(s_profiles, f)).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(ShippedProfiles))]
    public void Schema_ShippedProfile_IsValid(string file)
    {
        var result = s_schema.Evaluate(ToJson(File.ReadAllText(Path.Combine(s_profiles, file))), new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Theory]
    [InlineData("bad_byte_order_and_type")]
    [InlineData("missing_addressing")]
    [InlineData("unknown_key_in_channel")]
    [InlineData("group_without_n")]
    public void Schema_ProfileTheLoaderRejects_IsInvalidToo(string invalidCase)
    {
        var yaml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testcases", "profiles-invalid", invalidCase, "profile.yaml"));
        Assert.False(s_schema.Evaluate(ToJson(yaml)).IsValid);
    }

    // YAML to JSON keeping scalar types: plain scalars that read as numbers or booleans become those, quoted ones stay text.
    private static JsonElement ToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return JsonSerializer.SerializeToElement(Convert(stream.Documents[0].RootNode));
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, Convert(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar when long.TryParse(scalar.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) => JsonValue.Create(i),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar when double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } scalar => JsonValue.Create(scalar.Value == "true"),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new JsonException($"unexpected YAML node {node.NodeType}"),
    };
}
