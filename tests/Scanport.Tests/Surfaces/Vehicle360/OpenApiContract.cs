using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NJsonSchema;
using NJsonSchema.Infrastructure;
using NJsonSchema.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Scanport.Tests.Surfaces.Vehicle360;

/// <summary>
/// The OpenAPI 3.0 block of <c>vehicle-360-imaging-api.md</c>, read into JSON, and its schemas as NJsonSchema
/// schemas of type OpenApi3 (so <c>nullable: true</c> admits null), with <c>format</c> and <c>enum</c> enforced.
/// The document marks no property required; its examples show every one, so every property it lists must be there.
/// </summary>
internal sealed partial class OpenApiContract
{
    private static readonly Lazy<OpenApiContract> Loaded = new(() => new OpenApiContract(
        File.ReadAllText(Path.Combine(RepoPaths.Shared, "specs", "vehicle-360-imaging-api.md"))));

    public static OpenApiContract Document => Loaded.Value;

    public JsonObject Root { get; }

    public OpenApiContract(string markdown) => Root = (JsonObject)ToJson(ReadYaml(YamlBlock(markdown)))!;

    /// <summary>The fenced yaml block after the "OpenAPI Specification" heading.</summary>
    internal static string YamlBlock(string markdown)
    {
        var heading = markdown.IndexOf("## OpenAPI Specification", StringComparison.Ordinal);
        Assert.True(heading >= 0, "the document has no OpenAPI Specification section");
        var match = YamlFence().Match(markdown, heading);
        Assert.True(match.Success, "no ```yaml block after the OpenAPI heading");
        return match.Groups["yaml"].Value;
    }

    /// <summary>A component schema, e.g. <c>Session</c>.</summary>
    public JsonSchema Component(string name) => Load(Root["components"]!["schemas"]![name]!);

    /// <summary>The JSON schema of a response the document describes.</summary>
    public JsonSchema Response(string path, string method, int status) =>
        Load(Root["paths"]![path]![method]!["responses"]![status.ToString(CultureInfo.InvariantCulture)]!["content"]!["application/json"]!["schema"]!);

    /// <summary>The errors of <paramref name="json"/> against <paramref name="schema"/>, as readable lines.</summary>
    // With settings: the validator's parameterless constructor checks no format at all (uuid, date-time, uri).
    public static IReadOnlyList<string> Errors(JsonSchema schema, string json) =>
        new JsonSchemaValidator(new JsonSchemaValidatorSettings()).Validate(json, schema, SchemaType.OpenApi3).Select(e => e.ToString()).ToList();

    private JsonSchema Load(JsonNode schema)
    {
        var strict = Strict(Inline(schema.DeepClone()));
        return JsonSchemaSerialization.FromJsonAsync<JsonSchema>(strict.ToJsonString(), SchemaType.OpenApi3, null,
            JsonReferenceResolver.CreateJsonReferenceResolverFactory(new DefaultTypeNameGenerator()),
            JsonSchema.CreateJsonSerializerContractResolver(SchemaType.OpenApi3), CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Replaces <c>$ref: '#/components/schemas/X'</c> by the schema itself (the document's refs go nowhere else).</summary>
    private JsonNode Inline(JsonNode node)
    {
        if (node is JsonObject obj)
        {
            if (obj["$ref"]?.GetValue<string>() is { } reference)
            {
                const string prefix = "#/components/schemas/";
                Assert.StartsWith(prefix, reference);
                return Inline(Root["components"]!["schemas"]![reference[prefix.Length..]]!.DeepClone());
            }
            foreach (var key in obj.Select(p => p.Key).ToList()) obj[key] = Inline(obj[key]!.DeepClone());
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++) array[i] = array[i] is { } item ? Inline(item.DeepClone()) : null;
        }
        return node;
    }

    /// <summary>Every object schema requires the properties it lists.</summary>
    private static JsonNode Strict(JsonNode node)
    {
        if (node is JsonObject obj && obj["properties"] is JsonObject properties)
        {
            obj["required"] ??= new JsonArray(properties.Select(p => (JsonNode?)JsonValue.Create(p.Key)).ToArray());
            foreach (var (_, property) in properties) Strict(property!);
        }
        return node;
    }

    private static YamlNode ReadYaml(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Single().RootNode;
    }

    /// <summary>YAML to JSON with YAML's core types: plain true/false, null, integers and floats are not strings.</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar => scalar.Value switch
        {
            null or "" or "~" or "null" => null,
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            var v when long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
            var v when double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            var v => JsonValue.Create(v),
        },
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new NotSupportedException($"YAML node {node.NodeType}"),
    };

    [GeneratedRegex(@"```yaml\r?\n(?<yaml>.*?)\r?\n```", RegexOptions.Singleline)]
    private static partial Regex YamlFence();
}
