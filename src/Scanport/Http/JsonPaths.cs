using System.Reflection;
using System.Text.Json.Serialization;

namespace Scanport.Http;

/// <summary>Finds the CLR type a JSON path such as <c>frames[3].confidence</c> lands on in a request type.</summary>
internal static class JsonPaths
{
    public static Type? Resolve(Type root, string path)
    {
        Type? current = root;
        foreach (var segment in path.Split('.'))
        {
            var bracket = segment.IndexOf('[');
            var name = bracket >= 0 ? segment[..bracket] : segment;
            if (name.Length > 0) current = Property(current, name)?.PropertyType;
            for (var i = bracket; current is not null && i >= 0; i = segment.IndexOf('[', i + 1))
                current = ElementType(current);
            if (current is null) return null;
        }
        return current;
    }

    private static PropertyInfo? Property(Type? type, string jsonName) =>
        type?.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p =>
            string.Equals(p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? p.Name, jsonName, StringComparison.OrdinalIgnoreCase));

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
}
