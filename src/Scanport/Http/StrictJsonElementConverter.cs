using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scanport.Http;

/// <summary>
/// Reads a request field typed as raw JSON (<see cref="JsonElement"/>) as strictly as a typed one. The default
/// converter keeps the field's bytes unchecked, so text that is not UTF-8 only failed later, when a handler read the
/// string (a 500); here it is a <see cref="JsonException"/> at binding, which the error middleware names as the field.
/// Duplicate keys inside the field are refused by the default converter itself, under the shared options'
/// <c>AllowDuplicateProperties = false</c>.
/// </summary>
internal sealed class StrictJsonElementConverter : JsonConverter<JsonElement>
{
    public const string NotUtf8 = "is not valid UTF-8";

    private static readonly JsonConverter<JsonElement> Default =
        (JsonConverter<JsonElement>)JsonSerializerOptions.Default.GetConverter(typeof(JsonElement));

    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var element = Default.Read(ref reader, typeToConvert, options);
        try
        {
            CheckText(element);
        }
        catch (InvalidOperationException e)
        {
            throw new JsonException(NotUtf8, e);
        }
        return element;
    }

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) =>
        Default.Write(writer, value, options);

    /// <summary>Decodes every name and string once: decoding is what finds bytes that are not UTF-8.</summary>
    private static void CheckText(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                _ = element.GetString();
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) CheckText(item);
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    CheckText(property.Value);
                }
                break;
        }
    }
}
