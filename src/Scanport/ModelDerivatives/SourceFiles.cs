using System.Buffers.Binary;
using System.Text.Json;

namespace Scanport.ModelDerivatives;

/// <summary>
/// The files a source model names besides itself (an MTL's <c>map_Kd</c>, a glTF's buffers and images). Only files
/// inside the source's own folder are ever read: an absolute path, <c>../</c>, a URI scheme or a link would let a
/// hostile model pull the host's files into its output.
/// </summary>
internal static class SourceFiles
{
    private const long MaxTextureBytes = 64 * 1024 * 1024;

    private static readonly byte[] BlankPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC");

    /// <summary>
    /// An image for embedding into the translated glTF: a PNG or JPEG inside the source folder; anything else (outside,
    /// missing, no image) reads as a blank 1×1 PNG, so the model still translates.
    /// </summary>
    public static ArraySegment<byte> ReadTexture(string sourceFolder, string name)
    {
        if (Resolve(sourceFolder, name) is not { } path) return BlankPng;
        var file = new FileInfo(path);
        if (!file.Exists || file.Length > MaxTextureBytes) return BlankPng;
        var bytes = File.ReadAllBytes(path);
        return IsPngOrJpeg(bytes) ? bytes : BlankPng;
    }

    /// <summary>
    /// The first buffer or image URI of a glTF (JSON, or the JSON chunk of a binary glTF) that is neither embedded
    /// (<c>data:</c>) nor a file inside its folder; null when there is none. assimp would read such a buffer into the
    /// model's vertices.
    /// </summary>
    /// <exception cref="JsonException">The JSON is not valid.</exception>
    public static string? FirstOutsideReference(string gltfPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(gltfPath))!;
        using var document = ReadGltfJson(gltfPath);
        foreach (var list in new[] { "buffers", "images" })
        {
            if (!document.RootElement.TryGetProperty(list, out var items) || items.ValueKind != JsonValueKind.Array) continue;
            foreach (var item in items.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("uri", out var uri)) continue;
                var name = uri.ValueKind == JsonValueKind.String ? uri.GetString()! : uri.ToString();
                if (!name.StartsWith("data:", StringComparison.Ordinal) && Resolve(folder, name) is null) return name;
            }
        }
        return null;
    }

    private static JsonDocument ReadGltfJson(string path)
    {
        using var stream = File.OpenRead(path);
        var header = new byte[20];
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length || !header.AsSpan(0, 4).SequenceEqual("glTF"u8))
        {
            stream.Position = 0;
            return JsonDocument.Parse(stream);
        }
        // Binary glTF: a 12-byte header, then the JSON chunk's length and type, then the JSON.
        var length = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12, 4));
        if (length > stream.Length - header.Length) throw new JsonException("The binary glTF's JSON chunk is cut short.");
        var json = new byte[length];
        stream.ReadExactly(json);
        return JsonDocument.Parse(json);
    }

    /// <summary>The full path of a relative name inside the folder, or null (absolute, escaping, a scheme, a link).</summary>
    private static string? Resolve(string sourceFolder, string name)
    {
        var relative = Uri.UnescapeDataString(name);
        if (relative.Contains(':') || Path.IsPathRooted(relative)) return null;
        var folder = Path.GetFullPath(sourceFolder).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var path = Path.GetFullPath(Path.Combine(folder, relative));
        if (!path.StartsWith(folder, StringComparison.Ordinal)) return null;
        return new FileInfo(path).LinkTarget is null ? path : null;
    }

    private static bool IsPngOrJpeg(byte[] bytes) =>
        bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]) || bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]);
}
