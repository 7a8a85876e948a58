using System.Numerics;

namespace Scanport.Reconstruction.Colmap;

/// <summary>
/// Normals for a point cloud without any (COLMAP's sparse points), so that <c>poisson_mesher</c> can run: the plane
/// fitted to each point's k nearest neighbours (PCA: the eigenvector of the smallest eigenvalue of their covariance),
/// turned to face the cameras that observe the point (the sum of the unit directions towards them).
/// </summary>
internal static class NormalEstimator
{
    /// <param name="points">Positions.</param>
    /// <param name="observers">For each point, the centres of the cameras that see it (may be empty: the normal then keeps PCA's sign).</param>
    /// <param name="k">Neighbours per point, the point itself not counted (10–20 suits sparse SfM points).</param>
    /// <param name="ct">Stops the estimation between points.</param>
    public static Vector3[] Estimate(IReadOnlyList<Vector3> points, IReadOnlyList<IReadOnlyList<Vector3>> observers, int k, CancellationToken ct = default)
    {
        var normals = new Vector3[points.Count];
        if (points.Count == 0) return normals;
        var tree = new KdTree(points);
        var count = Math.Min(k + 1, points.Count);
        Parallel.For(0, points.Count, new ParallelOptions { CancellationToken = ct }, () => new int[count], (i, _, neighbours) =>
        {
            tree.Nearest(points[i], neighbours);
            var normal = count >= 3 ? PlaneNormal(points, neighbours) : Vector3.UnitZ;
            var towards = Vector3.Zero;
            foreach (var centre in observers[i])
            {
                var d = centre - points[i];
                if (d.LengthSquared() > 0) towards += Vector3.Normalize(d);
            }
            normals[i] = Vector3.Dot(normal, towards) < 0 ? -normal : normal;
            return neighbours;
        }, _ => { });
        return normals;
    }

    /// <summary>The unit normal of the least-squares plane through the given points.</summary>
    internal static Vector3 PlaneNormal(IReadOnlyList<Vector3> points, ReadOnlySpan<int> indices)
    {
        double mx = 0, my = 0, mz = 0;
        foreach (var i in indices) { mx += points[i].X; my += points[i].Y; mz += points[i].Z; }
        mx /= indices.Length; my /= indices.Length; mz /= indices.Length;
        var c = new double[3, 3];
        foreach (var i in indices)
        {
            double x = points[i].X - mx, y = points[i].Y - my, z = points[i].Z - mz;
            c[0, 0] += x * x; c[0, 1] += x * y; c[0, 2] += x * z;
            c[1, 1] += y * y; c[1, 2] += y * z; c[2, 2] += z * z;
        }
        c[1, 0] = c[0, 1]; c[2, 0] = c[0, 2]; c[2, 1] = c[1, 2];
        var v = SmallestEigenvector(c);
        var n = new Vector3((float)v[0], (float)v[1], (float)v[2]);
        return n.LengthSquared() > 0 ? Vector3.Normalize(n) : Vector3.UnitZ;
    }

    /// <summary>Cyclic Jacobi rotations on a symmetric 3×3 matrix; returns the eigenvector of the smallest eigenvalue.</summary>
    private static double[] SmallestEigenvector(double[,] a)
    {
        var v = new double[3, 3] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
        for (var sweep = 0; sweep < 32; sweep++)
        {
            var off = a[0, 1] * a[0, 1] + a[0, 2] * a[0, 2] + a[1, 2] * a[1, 2];
            var scale = a[0, 0] * a[0, 0] + a[1, 1] * a[1, 1] + a[2, 2] * a[2, 2];
            if (off <= 1e-24 * Math.Max(scale, 1e-300)) break;
            for (var p = 0; p < 2; p++)
                for (var q = p + 1; q < 3; q++)
                {
                    if (a[p, q] == 0) continue;
                    var theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    var t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    var cos = 1 / Math.Sqrt(t * t + 1);
                    var sin = t * cos;
                    for (var r = 0; r < 3; r++)
                    {
                        double arp = a[r, p], arq = a[r, q];
                        a[r, p] = cos * arp - sin * arq;
                        a[r, q] = sin * arp + cos * arq;
                    }
                    for (var r = 0; r < 3; r++)
                    {
                        double apr = a[p, r], aqr = a[q, r];
                        a[p, r] = cos * apr - sin * aqr;
                        a[q, r] = sin * apr + cos * aqr;
                    }
                    for (var r = 0; r < 3; r++)
                    {
                        double vrp = v[r, p], vrq = v[r, q];
                        v[r, p] = cos * vrp - sin * vrq;
                        v[r, q] = sin * vrp + cos * vrq;
                    }
                }
        }
        var min = 0;
        for (var i = 1; i < 3; i++) if (a[i, i] < a[min, min]) min = i;
        return [v[0, min], v[1, min], v[2, min]];
    }
}
