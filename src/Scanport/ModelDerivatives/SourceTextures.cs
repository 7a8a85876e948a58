namespace Scanport.ModelDerivatives;

/// <summary>
/// The image files a source model names (an MTL's <c>map_Kd</c>, a glTF's image URIs), read for embedding into the
/// translated glTF binary. Only PNG and JPEG files inside the source's own folder are read; any other name (an
/// absolute path, <c>../</c>, a link, a missing file, something that is no image) reads as a blank 1×1 PNG, so the
/// model still translates and a hostile one cannot pull the host's files into its output.
/// </summary>
internal static class SourceTextures
{
    private const long MaxTextureBytes = 64 * 1024 * 1024;

    private static readonly byte[] BlankPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC");

    public static ArraySegment<byte> Read(string sourceFolder, string name)
    {
        var folder = Path.GetFullPath(sourceFolder).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var path = Path.GetFullPath(Path.Combine(folder, Uri.UnescapeDataString(name)));
        if (!path.StartsWith(folder, StringComparison.Ordinal)) return BlankPng;
        var file = new FileInfo(path);
        if (!file.Exists || file.LinkTarget is not null || file.Length > MaxTextureBytes) return BlankPng;
        var bytes = File.ReadAllBytes(path);
        return IsPngOrJpeg(bytes) ? bytes : BlankPng;
    }

    private static bool IsPngOrJpeg(byte[] bytes) =>
        bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]) || bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]);
}
