using System.Numerics;
using NetVips;

namespace Scanport.Reconstruction.Colmap;

/// <summary>
/// Colours each mesh vertex from the registered images: the vertex is projected into every image through that
/// image's pose and camera; a view counts when the vertex lies in front of the camera, inside the image, faces it
/// (cosine between the vertex normal and the direction to the camera above 0.1) and is not hidden by another part of
/// the mesh (a depth buffer of the mesh's triangles per view, at a quarter of the image's size, 2% depth tolerance).
/// The colour is the average of the counted views' bilinear samples weighted by the cosine squared, so head-on views
/// dominate while seams between views blend. A vertex no view sees keeps the mesher's colour (grey without one).
/// </summary>
/// <remarks>
/// Per-vertex colour rather than a texture atlas: glTF carries it natively (COLOR_0), it needs no UV unwrapping, and
/// Poisson meshes of sparse or fused points are dense enough for colours per vertex to read as texture.
/// </remarks>
internal static class VertexColorizer
{
    private const float MinFacing = 0.1f;
    private const float DepthTolerance = 0.02f;

    /// <summary>At most this much decoded image memory is read ahead; the other views load while colouring.</summary>
    public const long ReadAheadBytes = 512L << 20;

    /// <summary>
    /// Decodes the registered images (shrunk to <paramref name="maxImageSize"/>) up to <see cref="ReadAheadBytes"/>,
    /// so that it can run while the mesher does: the colouring then finds them in memory.
    /// </summary>
    /// <remarks>libvips must be started (<see cref="Scanport.Media.LibVips.EnsureStarted"/>) first, as for <see cref="Colorize"/>.</remarks>
    public static IReadOnlyDictionary<int, View> ReadAhead(SparseModel model, string imagesDir, int maxImageSize, int parallelism, CancellationToken ct)
    {
        var chosen = new List<ColmapImage>();
        long bytes = 0;
        foreach (var image in model.Images.Values.OrderBy(i => i.Id))
        {
            if (!model.Cameras.TryGetValue(image.CameraId, out var camera)) continue;
            var scale = Math.Min(1.0, (double)maxImageSize / Math.Max(camera.Width, camera.Height));
            bytes += (long)(camera.Width * scale * camera.Height * scale * 3);
            if (bytes > ReadAheadBytes) break;
            chosen.Add(image);
        }
        var views = new System.Collections.Concurrent.ConcurrentDictionary<int, View>();
        Parallel.ForEach(chosen, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = parallelism }, image =>
        {
            if (Load(model, image, imagesDir, maxImageSize) is { } view) views[image.Id] = view;
        });
        return views;
    }

    private static View? Load(SparseModel model, ColmapImage image, string imagesDir, int maxImageSize)
    {
        var path = Path.Combine(imagesDir, image.Name);
        if (!model.Cameras.TryGetValue(image.CameraId, out var camera) || !File.Exists(path)) return null;
        try
        {
            return View.Load(path, camera, maxImageSize);
        }
        catch (VipsException)
        {
            return null; // COLMAP read it, libvips cannot: the other views colour the mesh
        }
    }

    /// <summary>The colour of every vertex; views missing from <paramref name="readAhead"/> (beyond its memory budget) are read here.</summary>
    /// <returns>RGB bytes per vertex, and the vertex normals used (turned towards the cameras).</returns>
    public static (byte[] Colors, Vector3[] Normals) Colorize(
        PlyMesh mesh, SparseModel model, string imagesDir, int maxImageSize, IReadOnlyDictionary<int, View> readAhead, int parallelism, CancellationToken ct)
    {
        var normals = VertexNormals(mesh);
        FaceCameras(normals, mesh.Vertices, model.Images.Values.Select(i => i.Centre).ToArray());
        var count = mesh.Vertices.Length;
        var sums = new Vector3[count];
        var weights = new float[count];
        var gate = new Lock();
        Parallel.ForEach(model.Images.Values, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = parallelism }, image =>
        {
            var view = readAhead.GetValueOrDefault(image.Id) ?? Load(model, image, imagesDir, maxImageSize);
            if (view is null) return;
            var localSums = new Vector3[count];
            var localWeights = new float[count];
            Accumulate(mesh, normals, image, model.Cameras[image.CameraId], view, localSums, localWeights);
            lock (gate)
                for (var i = 0; i < count; i++) { sums[i] += localSums[i]; weights[i] += localWeights[i]; }
        });

        var colors = new byte[count * 3];
        for (var i = 0; i < count; i++)
        {
            Vector3 c = weights[i] > 0 ? sums[i] / weights[i]
                : mesh.Colors is { } own ? new Vector3(own[3 * i], own[3 * i + 1], own[3 * i + 2]) : new Vector3(128);
            colors[3 * i] = (byte)Math.Clamp(MathF.Round(c.X), 0, 255);
            colors[3 * i + 1] = (byte)Math.Clamp(MathF.Round(c.Y), 0, 255);
            colors[3 * i + 2] = (byte)Math.Clamp(MathF.Round(c.Z), 0, 255);
        }
        return (colors, normals);
    }

    private static void Accumulate(PlyMesh mesh, Vector3[] normals, ColmapImage image, ColmapCamera camera, View view, Vector3[] sums, float[] weights)
    {
        var n = mesh.Vertices.Length;
        // Every vertex in this view's depth-buffer pixels (x, y) with its depth; NaN where it does not project.
        var projected = new Vector3[n];
        for (var i = 0; i < n; i++)
        {
            var p = image.ToCamera(mesh.Vertices[i]);
            projected[i] = camera.Project(p, out var u, out var v)
                ? new Vector3((float)(u * view.Scale), (float)(v * view.Scale), p.Z)
                : new Vector3(float.NaN);
        }
        var depth = view.DepthBuffer(projected, mesh.Triangles);
        var centre = image.Centre;
        for (var i = 0; i < n; i++)
        {
            var q = projected[i];
            if (float.IsNaN(q.Z) || q.X < 0 || q.Y < 0 || q.X > view.Width || q.Y > view.Height) continue;
            var facing = Vector3.Dot(normals[i], Vector3.Normalize(centre - mesh.Vertices[i]));
            if (facing < MinFacing) continue;
            if (q.Z > view.DepthAt(depth, q.X, q.Y) * (1 + DepthTolerance)) continue;
            var w = facing * facing;
            sums[i] += w * view.Sample(q.X, q.Y);
            weights[i] += w;
        }
    }

    /// <summary>
    /// Flips all normals when most (vertex, camera) pairs face away: the mesher's winding is then inward. The cameras
    /// look at the outside of what they photographed.
    /// </summary>
    internal static void FaceCameras(Vector3[] normals, Vector3[] vertices, Vector3[] centres)
    {
        long balance = 0;
        for (var i = 0; i < normals.Length; i++)
            foreach (var centre in centres)
                balance += Math.Sign(Vector3.Dot(normals[i], centre - vertices[i]));
        if (balance >= 0) return;
        for (var i = 0; i < normals.Length; i++) normals[i] = -normals[i];
    }

    /// <summary>Area-weighted vertex normals from the triangles (their winding is the mesher's outward side).</summary>
    internal static Vector3[] VertexNormals(PlyMesh mesh)
    {
        var normals = new Vector3[mesh.Vertices.Length];
        var t = mesh.Triangles;
        for (var f = 0; f + 2 < t.Length; f += 3)
        {
            Vector3 a = mesh.Vertices[t[f]], b = mesh.Vertices[t[f + 1]], c = mesh.Vertices[t[f + 2]];
            var cross = Vector3.Cross(b - a, c - a);
            normals[t[f]] += cross; normals[t[f + 1]] += cross; normals[t[f + 2]] += cross;
        }
        for (var i = 0; i < normals.Length; i++)
        {
            if (normals[i].LengthSquared() > 0) normals[i] = Vector3.Normalize(normals[i]);
            else if (mesh.Normals is { } own) normals[i] = own[i];
        }
        return normals;
    }
}
