using System.Numerics;
using NetVips;

namespace Scanport.Reconstruction.Colmap;

/// <summary>One registered image in memory (sRGB, 3 bytes a pixel), shrunk to at most a given long edge.</summary>
internal sealed class View
{
    private const int DepthDivisor = 4;

    private readonly byte[] pixels;

    private View(byte[] pixels, int width, int height, double scale)
    {
        this.pixels = pixels;
        Width = width;
        Height = height;
        Scale = scale;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>This image's pixels per pixel of the camera model (the original image).</summary>
    public double Scale { get; }

    public static View Load(string path, ColmapCamera camera, int maxImageSize)
    {
        var longEdge = Math.Min(maxImageSize, Math.Max(camera.Width, camera.Height));
        // COLMAP ignores EXIF orientation, so the pixels are read as stored.
        using var thumb = Image.Thumbnail(path, longEdge, height: longEdge, size: Enums.Size.Down, noRotate: true);
        using var flat = thumb.HasAlpha() ? thumb.Flatten() : thumb.Copy();
        using var srgb = flat.Colourspace(Enums.Interpretation.Srgb);
        using var rgb = srgb.Bands > 3 ? srgb.ExtractBand(0, 3) : srgb.Copy();
        using var bytes = rgb.Cast(Enums.BandFormat.Uchar);
        return new View(bytes.WriteToMemory<byte>(), bytes.Width, bytes.Height, (double)bytes.Width / camera.Width);
    }

    /// <summary>Bilinear sample at (x, y) in COLMAP's convention (the first pixel's centre at 0.5, 0.5), as 0..255 floats.</summary>
    public Vector3 Sample(float x, float y)
    {
        x -= 0.5f;
        y -= 0.5f;
        int x0 = Math.Clamp((int)MathF.Floor(x), 0, Width - 1), y0 = Math.Clamp((int)MathF.Floor(y), 0, Height - 1);
        int x1 = Math.Min(x0 + 1, Width - 1), y1 = Math.Min(y0 + 1, Height - 1);
        float fx = Math.Clamp(x - x0, 0, 1), fy = Math.Clamp(y - y0, 0, 1);
        return Vector3.Lerp(Vector3.Lerp(Pixel(x0, y0), Pixel(x1, y0), fx), Vector3.Lerp(Pixel(x0, y1), Pixel(x1, y1), fx), fy);
    }

    private Vector3 Pixel(int x, int y)
    {
        var i = (y * Width + x) * 3;
        return new Vector3(pixels[i], pixels[i + 1], pixels[i + 2]);
    }

    private int DepthWidth => (Width + DepthDivisor - 1) / DepthDivisor;
    private int DepthHeight => (Height + DepthDivisor - 1) / DepthDivisor;

    /// <summary>The nearest depth of the mesh at each depth-buffer pixel; vertices given as (x, y, depth) in image pixels.</summary>
    public float[] DepthBuffer(Vector3[] projected, int[] triangles)
    {
        int w = DepthWidth, h = DepthHeight;
        var depth = new float[w * h];
        Array.Fill(depth, float.PositiveInfinity);
        for (var f = 0; f + 2 < triangles.Length; f += 3)
        {
            Vector3 a = projected[triangles[f]] / new Vector3(DepthDivisor, DepthDivisor, 1);
            Vector3 b = projected[triangles[f + 1]] / new Vector3(DepthDivisor, DepthDivisor, 1);
            Vector3 c = projected[triangles[f + 2]] / new Vector3(DepthDivisor, DepthDivisor, 1);
            if (float.IsNaN(a.Z) || float.IsNaN(b.Z) || float.IsNaN(c.Z)) continue;
            var minX = Math.Max(0, (int)MathF.Floor(MathF.Min(a.X, MathF.Min(b.X, c.X))));
            var maxX = Math.Min(w - 1, (int)MathF.Ceiling(MathF.Max(a.X, MathF.Max(b.X, c.X))));
            var minY = Math.Max(0, (int)MathF.Floor(MathF.Min(a.Y, MathF.Min(b.Y, c.Y))));
            var maxY = Math.Min(h - 1, (int)MathF.Ceiling(MathF.Max(a.Y, MathF.Max(b.Y, c.Y))));
            if (minX > maxX || minY > maxY) continue;
            var area = Edge(a, b, c.X, c.Y);
            if (MathF.Abs(area) < 1e-12f) continue;
            for (var y = minY; y <= maxY; y++)
                for (var x = minX; x <= maxX; x++)
                {
                    // Pixel centres; both windings count (a depth buffer has no back face to cull).
                    float px = x + 0.5f, py = y + 0.5f;
                    float wa = Edge(b, c, px, py) / area, wb = Edge(c, a, px, py) / area, wc = 1 - wa - wb;
                    if (wa < 0 || wb < 0 || wc < 0) continue;
                    var z = wa * a.Z + wb * b.Z + wc * c.Z;
                    ref var d = ref depth[y * w + x];
                    if (z < d) d = z;
                }
        }
        return depth;
    }

    /// <summary>The buffer's depth around image pixel (x, y): the largest of the 2×2 cells nearest, so a vertex on an edge is not hidden by its own triangles' neighbours.</summary>
    public float DepthAt(float[] depth, float x, float y)
    {
        int w = DepthWidth, h = DepthHeight;
        float gx = x / DepthDivisor - 0.5f, gy = y / DepthDivisor - 0.5f;
        int x0 = Math.Clamp((int)MathF.Floor(gx), 0, w - 1), y0 = Math.Clamp((int)MathF.Floor(gy), 0, h - 1);
        int x1 = Math.Min(x0 + 1, w - 1), y1 = Math.Min(y0 + 1, h - 1);
        // A cell no triangle covered stays infinite: the vertex counts as visible there.
        return MathF.Max(MathF.Max(depth[y0 * w + x0], depth[y0 * w + x1]), MathF.Max(depth[y1 * w + x0], depth[y1 * w + x1]));
    }

    private static float Edge(Vector3 a, Vector3 b, float x, float y) => (b.X - a.X) * (y - a.Y) - (b.Y - a.Y) * (x - a.X);
}
