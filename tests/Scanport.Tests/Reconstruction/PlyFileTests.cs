using System.Numerics;
using Scanport.Reconstruction.Colmap;

namespace Scanport.Tests.Reconstruction;

public class PlyFileTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("scanport-ply-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Points_written_with_normals_and_colours_read_back_the_same()
    {
        var path = Path.Combine(dir, "points.ply");
        Vector3[] points = [new(1, 2, 3), new(-1.5f, 0, 1e-3f)];
        Vector3[] normals = [Vector3.UnitZ, -Vector3.UnitX];

        PlyFile.WritePoints(path, points, normals, [(255, 0, 7), (1, 2, 3)]);
        var read = PlyFile.Read(path);

        Assert.Equal(points, read.Vertices);
        Assert.Equal(normals, read.Normals);
        Assert.Equal([255, 0, 7, 1, 2, 3], read.Colors);
        Assert.Empty(read.Triangles);
        Assert.Equal((2, 0), PlyFile.Counts(path));
    }

    [Fact]
    public void An_ascii_mesh_with_a_quad_reads_as_two_triangles()
    {
        var path = Path.Combine(dir, "quad.ply");
        File.WriteAllText(path, """
            ply
            format ascii 1.0
            comment written by hand
            element vertex 4
            property double x
            property double y
            property double z
            property uchar quality
            element face 1
            property list uchar int vertex_indices
            end_header
            0 0 0 1
            1 0 0 1
            1 1 0 1
            0 1 0 1
            4 0 1 2 3

            """.Replace("\r\n", "\n"));

        var mesh = PlyFile.Read(path);

        Assert.Equal(4, mesh.Vertices.Length);
        Assert.Equal(new Vector3(1, 1, 0), mesh.Vertices[2]);
        Assert.Null(mesh.Normals);
        Assert.Equal([0, 1, 2, 0, 2, 3], mesh.Triangles);
        Assert.Equal(2, mesh.FaceCount);
    }
}
