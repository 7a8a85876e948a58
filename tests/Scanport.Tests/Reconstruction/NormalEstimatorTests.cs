using System.Numerics;
using Scanport.Reconstruction.Colmap;

namespace Scanport.Tests.Reconstruction;

public class NormalEstimatorTests
{
    /// <summary>A noisy grid on the plane through the origin with the given normal.</summary>
    private static Vector3[] Plane(Vector3 normal, int side = 30, float noise = 0.002f)
    {
        normal = Vector3.Normalize(normal);
        var u = Vector3.Normalize(Vector3.Cross(normal, MathF.Abs(normal.X) < 0.9f ? Vector3.UnitX : Vector3.UnitY));
        var v = Vector3.Cross(normal, u);
        var random = new Random(7);
        return Enumerable.Range(0, side * side).Select(i =>
        {
            float a = (i % side - side / 2) * 0.05f, b = (i / side - side / 2) * 0.05f;
            return a * u + b * v + (float)(random.NextDouble() - 0.5) * noise * normal;
        }).ToArray();
    }

    private static IReadOnlyList<Vector3>[] SeenFrom(int count, params Vector3[] cameras) =>
        Enumerable.Repeat<IReadOnlyList<Vector3>>(cameras, count).ToArray();

    [Theory]
    [InlineData(0f, 0f, 1f)]
    [InlineData(1f, 2f, 3f)]
    [InlineData(-0.3f, 1f, 0.1f)]
    public void Points_on_a_plane_get_its_normal_turned_to_the_camera_side(float x, float y, float z)
    {
        var normal = Vector3.Normalize(new Vector3(x, y, z));
        var points = Plane(normal);

        var towardsFront = NormalEstimator.Estimate(points, SeenFrom(points.Length, 5 * normal + new Vector3(0.3f, -0.2f, 0.1f)), 12);
        var towardsBack = NormalEstimator.Estimate(points, SeenFrom(points.Length, -4 * normal), 12);

        Assert.All(towardsFront, n => Assert.True(Vector3.Dot(n, normal) > 0.99f, $"{n} against {normal}"));
        Assert.All(towardsBack, n => Assert.True(Vector3.Dot(n, -normal) > 0.99f, $"{n} against {-normal}"));
        Assert.All(towardsFront, n => Assert.Equal(1f, n.Length(), 3));
    }

    [Fact]
    public void Several_cameras_on_the_same_side_agree_and_a_point_seen_by_none_still_gets_a_unit_normal()
    {
        var points = Plane(Vector3.UnitY);
        var observers = SeenFrom(points.Length, new Vector3(-3, 4, 0), new Vector3(3, 2, 1), new Vector3(0, 5, -2));
        observers[0] = [];

        var normals = NormalEstimator.Estimate(points, observers, 16);

        Assert.All(normals.Skip(1), n => Assert.True(n.Y > 0.99f, n.ToString()));
        Assert.True(MathF.Abs(normals[0].Y) > 0.99f);
    }

    [Fact]
    public void Points_on_two_faces_of_a_box_get_each_face_normal_away_from_the_edge()
    {
        // Two perpendicular faces meeting at x = 0; cameras outside each face.
        var top = Plane(Vector3.UnitY).Select(p => p with { X = MathF.Abs(p.X) + 0.2f }).ToArray();
        var side = Plane(Vector3.UnitX).Select(p => p with { Y = -MathF.Abs(p.Y) - 0.2f }).ToArray();
        var points = top.Concat(side).ToArray();
        var observers = top.Select(_ => (IReadOnlyList<Vector3>)[new Vector3(1, 5, 0)])
            .Concat(side.Select(_ => (IReadOnlyList<Vector3>)[new Vector3(-5, -1, 0)])).ToArray();

        var normals = NormalEstimator.Estimate(points, observers, 10);

        Assert.True(normals.Take(top.Length).Count(n => n.Y > 0.95f) > 0.9 * top.Length);
        Assert.True(normals.Skip(top.Length).Count(n => n.X < -0.95f) > 0.9 * side.Length);
    }

    [Fact]
    public void The_kd_tree_finds_the_same_neighbours_as_brute_force()
    {
        var random = new Random(11);
        var points = Enumerable.Range(0, 2000).Select(_ => new Vector3(random.NextSingle(), random.NextSingle() * 3, random.NextSingle() * 0.1f)).ToArray();
        var tree = new KdTree(points);
        var found = new int[9];
        for (var q = 0; q < 200; q++)
        {
            var query = points[q * 7];
            tree.Nearest(query, found);
            var expected = Enumerable.Range(0, points.Length).OrderBy(i => Vector3.DistanceSquared(points[i], query)).Take(9);
            Assert.Equal(expected.Select(i => Vector3.DistanceSquared(points[i], query)), found.Select(i => Vector3.DistanceSquared(points[i], query)));
        }
    }
}
