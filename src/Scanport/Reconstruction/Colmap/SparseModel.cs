using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;

namespace Scanport.Reconstruction.Colmap;

/// <summary>A COLMAP camera (intrinsics) in the pixel frame of the original image.</summary>
internal sealed record ColmapCamera(int Id, string Model, int Width, int Height, double[] Params)
{
    /// <summary>Projects a point given in camera coordinates (z forward) to pixel coordinates; false behind the camera.</summary>
    public bool Project(Vector3 p, out double u, out double v)
    {
        u = v = 0;
        if (p.Z <= 1e-6f) return false;
        double x = p.X / p.Z, y = p.Y / p.Z;
        double fx, fy, cx, cy;
        var k = Params;
        switch (Model)
        {
            case "SIMPLE_PINHOLE": (fx, fy, cx, cy) = (k[0], k[0], k[1], k[2]); break;
            case "PINHOLE": (fx, fy, cx, cy) = (k[0], k[1], k[2], k[3]); break;
            case "SIMPLE_RADIAL":
                {
                    (fx, fy, cx, cy) = (k[0], k[0], k[1], k[2]);
                    var factor = 1 + k[3] * (x * x + y * y);
                    (x, y) = (x * factor, y * factor);
                    break;
                }
            case "RADIAL":
                {
                    (fx, fy, cx, cy) = (k[0], k[0], k[1], k[2]);
                    var r2 = x * x + y * y;
                    var factor = 1 + k[3] * r2 + k[4] * r2 * r2;
                    (x, y) = (x * factor, y * factor);
                    break;
                }
            case "OPENCV":
                {
                    (fx, fy, cx, cy) = (k[0], k[1], k[2], k[3]);
                    double k1 = k[4], k2 = k[5], p1 = k[6], p2 = k[7];
                    var r2 = x * x + y * y;
                    var radial = 1 + k1 * r2 + k2 * r2 * r2;
                    (x, y) = (x * radial + 2 * p1 * x * y + p2 * (r2 + 2 * x * x), y * radial + p1 * (r2 + 2 * y * y) + 2 * p2 * x * y);
                    break;
                }
            default: return false; // models the pipeline never asks for (fisheye and others)
        }
        u = fx * x + cx;
        v = fy * y + cy;
        return true;
    }
}

/// <summary>A registered image: world-to-camera rotation and translation (x_cam = R x + t).</summary>
internal sealed record ColmapImage(int Id, Quaternion Rotation, Vector3 Translation, int CameraId, string Name)
{
    public Vector3 ToCamera(Vector3 world) => Vector3.Transform(world, Rotation) + Translation;

    /// <summary>The camera centre in world coordinates: -Rᵀ t.</summary>
    public Vector3 Centre => Vector3.Transform(-Translation, Quaternion.Conjugate(Rotation));
}

/// <summary>A 3D point with its colour, reprojection error and the images that observe it.</summary>
internal sealed record ColmapPoint(long Id, Vector3 Position, byte R, byte G, byte B, double Error, int[] ImageIds);

/// <summary>A sparse model as <c>model_converter --output_type TXT</c> writes it (cameras.txt, images.txt, points3D.txt).</summary>
internal sealed class SparseModel
{
    public required IReadOnlyDictionary<int, ColmapCamera> Cameras { get; init; }
    public required IReadOnlyDictionary<int, ColmapImage> Images { get; init; }
    public required IReadOnlyList<ColmapPoint> Points { get; init; }

    /// <summary>COLMAP's own figure (model_analyzer): the mean of the points' errors, in pixels; NaN without points.</summary>
    public double MeanReprojectionError => Points.Count == 0 ? double.NaN : Points.Average(p => p.Error);

    public static SparseModel ReadText(string dir)
    {
        var cameras = new Dictionary<int, ColmapCamera>();
        foreach (var f in DataLines(Path.Combine(dir, "cameras.txt")))
            cameras[Int(f[0])] = new ColmapCamera(Int(f[0]), f[1], Int(f[2]), Int(f[3]), f[4..].Select(Dbl).ToArray());

        var images = new Dictionary<int, ColmapImage>();
        var second = false; // every image takes two lines; the second lists its 2D points, not needed here
        foreach (var line in File.ReadLines(Path.Combine(dir, "images.txt")))
        {
            if (line.StartsWith('#')) continue;
            if (second) { second = false; continue; }
            second = true;
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 10) { second = false; continue; }
            var q = new Quaternion((float)Dbl(f[2]), (float)Dbl(f[3]), (float)Dbl(f[4]), (float)Dbl(f[1]));
            var t = new Vector3((float)Dbl(f[5]), (float)Dbl(f[6]), (float)Dbl(f[7]));
            // A name may hold spaces: it is the rest of the line.
            images[Int(f[0])] = new ColmapImage(Int(f[0]), Quaternion.Normalize(q), t, Int(f[8]), string.Join(' ', f[9..]));
        }

        var points = new List<ColmapPoint>();
        foreach (var f in DataLines(Path.Combine(dir, "points3D.txt")))
        {
            var track = new int[(f.Length - 8) / 2];
            for (var i = 0; i < track.Length; i++) track[i] = Int(f[8 + 2 * i]);
            points.Add(new ColmapPoint(long.Parse(f[0], CultureInfo.InvariantCulture),
                new Vector3((float)Dbl(f[1]), (float)Dbl(f[2]), (float)Dbl(f[3])),
                (byte)Int(f[4]), (byte)Int(f[5]), (byte)Int(f[6]), Dbl(f[7]), track));
        }
        return new SparseModel { Cameras = cameras, Images = images, Points = points };
    }

    private static IEnumerable<string[]> DataLines(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);
    private static double Dbl(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>
    /// The number of registered images in a binary model folder (the first 8 bytes of images.bin), to choose the
    /// largest when the mapper wrote several.
    /// </summary>
    public static long RegisteredImagesIn(string binaryModelDir)
    {
        var path = Path.Combine(binaryModelDir, "images.bin");
        if (!File.Exists(path)) return 0;
        using var file = File.OpenRead(path);
        Span<byte> count = stackalloc byte[8];
        return file.ReadAtLeast(count, 8, throwOnEndOfStream: false) == 8 ? BinaryPrimitives.ReadInt64LittleEndian(count) : 0;
    }
}
