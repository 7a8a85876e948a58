using System.Numerics;
using NetVips;

namespace Scanport.ModelDerivatives;

/// <summary>
/// Draws the model's thumbnails without a GPU or a display: a small software rasterizer (orthographic view from the
/// front, right and above, fitted to the model's extent; a depth buffer; flat Lambert shading of each triangle in its
/// material's base colour) renders the largest size once, and libvips scales it down and writes the PNGs.
/// </summary>
internal static class ThumbnailRenderer
{
    /// <summary>The sizes Model Derivative serves (<c>width</c> 100, 200, 400), smallest first.</summary>
    public static readonly int[] Sizes = [100, 200, 400];

    public const byte Background = 240;

    private const float Margin = 0.9f;
    private static readonly Vector3 ViewFrom = Vector3.Normalize(new Vector3(1f, 0.8f, 1.2f));
    private static readonly Vector3 Light = Vector3.Normalize(new Vector3(0.6f, 1f, 0.8f));

    /// <summary>Writes <c>thumbnail-{size}.png</c> for each size into <paramref name="folder"/>.</summary>
    /// <exception cref="OperationCanceledException">Cancelled, checked between triangles (a hostile model may hold many).</exception>
    public static IReadOnlyList<Thumbnail> Write(IReadOnlyList<Triangle> triangles, string folder, CancellationToken ct)
    {
        var largest = Sizes[^1];
        using var image = Image.NewFromMemory(Render(triangles, largest, ct), largest, largest, 3, Enums.BandFormat.Uchar);
        var thumbnails = new List<Thumbnail>();
        foreach (var size in Sizes)
        {
            using var scaled = size == largest ? image.Copy() : image.Resize((double)size / largest, Enums.Kernel.Lanczos3);
            var path = Path.Combine(folder, $"thumbnail-{size}.png");
            scaled.Pngsave(path);
            thumbnails.Add(new Thumbnail(size, path));
        }
        return thumbnails;
    }

    /// <summary>RGB bytes, row by row, of a <paramref name="size"/>-pixel square.</summary>
    internal static byte[] Render(IReadOnlyList<Triangle> triangles, int size, CancellationToken ct)
    {
        var right = Vector3.Normalize(Vector3.Cross(Vector3.UnitY, ViewFrom));
        var up = Vector3.Cross(ViewFrom, right);
        // Screen x, screen y (up) and depth (towards the viewer) of a point.
        Vector3 View(Vector3 p) => new(Vector3.Dot(p, right), Vector3.Dot(p, up), Vector3.Dot(p, ViewFrom));

        var min = new Vector2(float.PositiveInfinity);
        var max = new Vector2(float.NegativeInfinity);
        foreach (var t in triangles)
            foreach (var p in (ReadOnlySpan<Vector3>)[t.A, t.B, t.C])
            {
                var v = View(p);
                min = Vector2.Min(min, new Vector2(v.X, v.Y));
                max = Vector2.Max(max, new Vector2(v.X, v.Y));
            }
        var extent = Math.Max(max.X - min.X, max.Y - min.Y);
        var scale = extent > 0 && float.IsFinite(extent) ? Margin * size / extent : 1f;
        var centre = (min + max) / 2;
        Vector3 Screen(Vector3 p)
        {
            var v = View(p);
            return new Vector3(size / 2f + (v.X - centre.X) * scale, size / 2f - (v.Y - centre.Y) * scale, v.Z);
        }

        var pixels = new byte[size * size * 3];
        Array.Fill(pixels, Background);
        var depth = new float[size * size];
        Array.Fill(depth, float.NegativeInfinity);
        for (var n = 0; n < triangles.Count; n++)
        {
            if (n % 4096 == 0) ct.ThrowIfCancellationRequested();
            var t = triangles[n];
            var normal = Vector3.Cross(t.B - t.A, t.C - t.A);
            if (normal.LengthSquared() == 0 || !float.IsFinite(normal.LengthSquared())) continue;
            // Both faces lit alike: sources are not reliably wound, and many are open surfaces.
            // At most 0.85 of the colour, so that white surfaces still stand out from the background.
            var shade = 0.2f + 0.65f * MathF.Abs(Vector3.Dot(Vector3.Normalize(normal), Light));
            var colour = Vector3.Clamp(t.Colour * shade, Vector3.Zero, Vector3.One) * 255f;
            Fill(Screen(t.A), Screen(t.B), Screen(t.C), ((byte)colour.X, (byte)colour.Y, (byte)colour.Z), pixels, depth, size);
        }
        return pixels;
    }

    /// <summary>Fills the pixels whose centres lie inside the triangle and nearer than what is drawn there.</summary>
    private static void Fill(Vector3 a, Vector3 b, Vector3 c, (byte R, byte G, byte B) colour, byte[] pixels, float[] depth, int size)
    {
        var area = Edge(a, b, c.X, c.Y);
        if (area == 0) return;
        var left = Math.Max(0, (int)MathF.Floor(MathF.Min(a.X, MathF.Min(b.X, c.X))));
        var rightmost = Math.Min(size - 1, (int)MathF.Ceiling(MathF.Max(a.X, MathF.Max(b.X, c.X))));
        var top = Math.Max(0, (int)MathF.Floor(MathF.Min(a.Y, MathF.Min(b.Y, c.Y))));
        var bottom = Math.Min(size - 1, (int)MathF.Ceiling(MathF.Max(a.Y, MathF.Max(b.Y, c.Y))));
        for (var y = top; y <= bottom; y++)
            for (var x = left; x <= rightmost; x++)
            {
                var (px, py) = (x + 0.5f, y + 0.5f);
                var wa = Edge(b, c, px, py) / area;
                var wb = Edge(c, a, px, py) / area;
                var wc = Edge(a, b, px, py) / area;
                if (wa < 0 || wb < 0 || wc < 0) continue;
                var z = wa * a.Z + wb * b.Z + wc * c.Z;
                var i = y * size + x;
                if (z <= depth[i]) continue;
                depth[i] = z;
                (pixels[3 * i], pixels[3 * i + 1], pixels[3 * i + 2]) = colour;
            }
    }

    /// <summary>Twice the signed area of (p, q, (x, y)): which side of p→q the point lies on.</summary>
    private static float Edge(Vector3 p, Vector3 q, float x, float y) => (q.X - p.X) * (y - p.Y) - (q.Y - p.Y) * (x - p.X);
}
