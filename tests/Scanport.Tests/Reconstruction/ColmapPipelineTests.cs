using System.Buffers.Binary;
using System.Text;
using Scanport.Reconstruction.Colmap;
using SharpGLTF.Schema2;

namespace Scanport.Tests.Reconstruction;

[Collection(OrbitReconstruction.Collection)]
public class ColmapPipelineTests(OrbitReconstruction orbit)
{
    private ReconstructionResult Result => orbit.Result;

    [Fact]
    public void The_orbit_reconstructs_with_at_least_80_percent_of_its_frames_registered()
    {
        Assert.True(Result.Succeeded, Result.FailureReason);
        Assert.Equal(30, Result.TotalImages);
        Assert.True(Result.RegisteredImages >= 24, $"{Result.RegisteredImages}/30 registered");
        Assert.InRange(Result.MeanReprojectionError, 0.01, 2.0);
        Assert.Equal(ReconstructionResult.QualityScore(30, Result.RegisteredImages, Result.MeanReprojectionError), Result.Quality, 9);
        Assert.InRange(Result.Quality, 0.5, 1.0);
        Assert.InRange(Result.Elapsed, TimeSpan.FromSeconds(1), orbit.Wall);
    }

    [Fact]
    public void The_point_cloud_is_a_binary_ply_whose_points_carry_unit_normals_and_colours()
    {
        var header = PlyHeader(Result.PointCloudPly, out var bodyStart);
        Assert.Contains("format binary_little_endian 1.0", header);
        Assert.Contains($"element vertex {Result.Points}", header);
        Assert.Contains("property float nx", header);
        Assert.Contains("property uchar red", header);
        Assert.True(Result.Points > 500, $"{Result.Points} points");
        // x y z nx ny nz as floats, then three colour bytes: 27 bytes a point, nothing after.
        var bytes = File.ReadAllBytes(Result.PointCloudPly);
        Assert.Equal(bodyStart + 27L * Result.Points, bytes.Length);
        for (var i = 0; i < Result.Points; i += 97)
        {
            var at = bodyStart + 27 * i + 12;
            float nx = Float(bytes, at), ny = Float(bytes, at + 4), nz = Float(bytes, at + 8);
            Assert.InRange(MathF.Sqrt(nx * nx + ny * ny + nz * nz), 0.99f, 1.01f);
        }
    }

    [Fact]
    public void The_mesh_has_vertices_and_triangles()
    {
        var mesh = PlyFile.Read(Result.MeshPly);
        Assert.True(mesh.Vertices.Length > 1000, $"{mesh.Vertices.Length} vertices");
        Assert.True(mesh.FaceCount > 1000, $"{mesh.FaceCount} triangles");
        Assert.All(mesh.Triangles, i => Assert.InRange(i, 0, mesh.Vertices.Length - 1));
    }

    [Fact]
    public void The_textured_mesh_is_a_glb_with_colours_taken_from_the_photos()
    {
        var model = ModelRoot.Load(Result.TexturedMeshGlb);
        var primitive = Assert.Single(Assert.Single(model.LogicalMeshes).Primitives);
        var positions = primitive.GetVertexAccessor("POSITION").AsVector3Array();
        var colors = primitive.GetVertexAccessor("COLOR_0").AsColorArray();
        Assert.Equal(PlyFile.Read(Result.MeshPly).Vertices.Length, positions.Count);
        Assert.Equal(positions.Count, colors.Count);
        Assert.True(primitive.GetIndices().Count > 3000);

        // Colours projected from the frames agree with the colours COLMAP gave the sparse points near the surface,
        // far better than the same colours shuffled among the points.
        var points = PlyFile.Read(Result.PointCloudPly);
        var nearest = points.Vertices.Select(p => Enumerable.Range(0, positions.Count).MinBy(j => (positions[j] - p).LengthSquared())).ToArray();
        double Difference(Func<int, int> vertexOf) => Enumerable.Range(0, points.Vertices.Length).Average(i =>
        {
            var c = colors[vertexOf(i)] * 255;
            return (Math.Abs(c.X - points.Colors![3 * i]) + Math.Abs(c.Y - points.Colors[3 * i + 1]) + Math.Abs(c.Z - points.Colors[3 * i + 2])) / 3;
        });
        var matched = Difference(i => nearest[i]);
        var shuffled = Difference(i => nearest[(i * 7919 + 13) % nearest.Length]);
        Assert.True(matched < 0.7 * shuffled, $"colour difference {matched:0.0} against {shuffled:0.0} shuffled");
    }

    [Fact]
    public void Progress_goes_through_the_stages_in_order_never_back_and_ends_at_1()
    {
        var progress = orbit.Progress;
        Assert.True(progress.Count > 20, $"{progress.Count} reports");
        for (var i = 1; i < progress.Count; i++)
        {
            Assert.True(progress[i].Overall >= progress[i - 1].Overall, $"report {i} went back: {progress[i - 1]} then {progress[i]}");
            Assert.True(progress[i].Stage >= progress[i - 1].Stage, $"stage went back at report {i}");
        }
        Assert.Equal(1.0, progress[^1].Overall);
        Assert.Equal(ReconstructionStage.Texture, progress[^1].Stage);
        // Within-stage progress parsed from COLMAP's lines: extraction, matching and mapping each report steps.
        foreach (var stage in new[] { ReconstructionStage.Extract, ReconstructionStage.Match, ReconstructionStage.Map })
            Assert.True(progress.Count(p => p.Stage == stage && p.StageProgress is > 0 and < 1) >= 5, $"{stage} reported no steps");
    }

    [Fact]
    public void The_log_holds_the_commands_and_colmaps_own_lines()
    {
        Assert.Contains(orbit.Log, l => l.StartsWith("$ colmap feature_extractor ", StringComparison.Ordinal) && l.Contains("--SiftExtraction.use_gpu 0"));
        Assert.Contains(orbit.Log, l => l.StartsWith("$ colmap sequential_matcher ", StringComparison.Ordinal));
        Assert.Contains(orbit.Log, l => l.StartsWith("$ colmap poisson_mesher ", StringComparison.Ordinal));
        Assert.Contains(orbit.Log, l => l.StartsWith("Processed file [30/30]", StringComparison.Ordinal));
        Assert.Contains(orbit.Log, l => l.StartsWith("Registering image #", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_the_outputs_remain_in_the_work_dir()
    {
        Assert.Equal(
            [ColmapPipeline.MeshFile, ColmapPipeline.PointCloudFile, ColmapPipeline.TexturedMeshFile],
            Directory.GetFileSystemEntries(orbit.WorkDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(Path.Combine(orbit.WorkDir, ColmapPipeline.PointCloudFile), Result.PointCloudPly);
    }

    private static string PlyHeader(string path, out int bodyStart)
    {
        var bytes = File.ReadAllBytes(path);
        var end = Encoding.ASCII.GetBytes("end_header\n");
        bodyStart = bytes.AsSpan().IndexOf(end) + end.Length;
        return Encoding.ASCII.GetString(bytes, 0, bodyStart);
    }

    private static float Float(byte[] bytes, int at) => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(at));
}
