using System.Numerics;

namespace Scanport.Reconstruction.Colmap;

/// <summary>A static 3-d tree over a point set, for k-nearest-neighbour queries (normals of up to a few 100k points).</summary>
internal sealed class KdTree
{
    private readonly IReadOnlyList<Vector3> points;
    private readonly int[] order;   // point indices; each subtree is a contiguous range, its median at the middle
    private readonly byte[] axis;   // split axis of the node whose median sits at that position

    public KdTree(IReadOnlyList<Vector3> points)
    {
        this.points = points;
        order = Enumerable.Range(0, points.Count).ToArray();
        axis = new byte[points.Count];
        Build(0, points.Count);
    }

    private static float Coordinate(Vector3 p, int a) => a == 0 ? p.X : a == 1 ? p.Y : p.Z;

    private void Build(int from, int to)
    {
        if (to - from <= 1) return;
        // Split along the widest extent of this range.
        Vector3 min = new(float.MaxValue), max = new(float.MinValue);
        for (var i = from; i < to; i++) { min = Vector3.Min(min, points[order[i]]); max = Vector3.Max(max, points[order[i]]); }
        var size = max - min;
        var a = size.X >= size.Y && size.X >= size.Z ? 0 : size.Y >= size.Z ? 1 : 2;
        Array.Sort(order, from, to - from, Comparer<int>.Create((i, j) => Coordinate(points[i], a).CompareTo(Coordinate(points[j], a))));
        var mid = (from + to) / 2;
        axis[mid] = (byte)a;
        Build(from, mid);
        Build(mid + 1, to);
    }

    /// <summary>Fills <paramref name="result"/> with the indices of the result.Length points nearest to <paramref name="query"/>, nearest first.</summary>
    public void Nearest(Vector3 query, int[] result)
    {
        var k = result.Length;
        var distances = new float[k];
        Array.Fill(distances, float.PositiveInfinity);
        Array.Fill(result, -1);
        Search(query, 0, points.Count, result, distances);
    }

    private void Search(Vector3 query, int from, int to, int[] result, float[] distances)
    {
        if (from >= to) return;
        var mid = (from + to) / 2;
        var index = order[mid];
        Offer(index, Vector3.DistanceSquared(query, points[index]), result, distances);
        if (to - from == 1) return;
        var a = axis[mid];
        var delta = Coordinate(query, a) - Coordinate(points[index], a);
        var (near, far) = delta < 0 ? ((from, mid), (mid + 1, to)) : ((mid + 1, to), (from, mid));
        Search(query, near.Item1, near.Item2, result, distances);
        if (delta * delta < distances[^1]) Search(query, far.Item1, far.Item2, result, distances);
    }

    /// <summary>Inserts into the sorted candidate list when closer than its farthest.</summary>
    private static void Offer(int index, float distance, int[] result, float[] distances)
    {
        var k = result.Length;
        if (distance >= distances[k - 1]) return;
        var i = k - 1;
        while (i > 0 && distances[i - 1] > distance)
        {
            distances[i] = distances[i - 1];
            result[i] = result[i - 1];
            i--;
        }
        distances[i] = distance;
        result[i] = index;
    }
}
