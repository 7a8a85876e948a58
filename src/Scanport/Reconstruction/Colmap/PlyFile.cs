using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Scanport.Reconstruction.Colmap;

/// <summary>Vertices (with normals and colours where the file has them) and triangles read from a PLY file.</summary>
internal sealed record PlyMesh(Vector3[] Vertices, Vector3[]? Normals, byte[]? Colors, int[] Triangles)
{
    public int FaceCount => Triangles.Length / 3;
}

/// <summary>
/// The PLY subset COLMAP reads and writes: ascii or binary_little_endian, a <c>vertex</c> element of scalar properties
/// (x y z, nx ny nz, red green blue) and a <c>face</c> element with one index list (polygons are fanned into triangles).
/// </summary>
internal static class PlyFile
{
    /// <summary>Writes points with normals and colours as binary PLY, the layout of COLMAP's own fused.ply.</summary>
    public static void WritePoints(string path, IReadOnlyList<Vector3> points, IReadOnlyList<Vector3> normals, IReadOnlyList<(byte R, byte G, byte B)> colors)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var header = "ply\nformat binary_little_endian 1.0\n" +
                     $"element vertex {points.Count.ToString(CultureInfo.InvariantCulture)}\n" +
                     "property float x\nproperty float y\nproperty float z\n" +
                     "property float nx\nproperty float ny\nproperty float nz\n" +
                     "property uchar red\nproperty uchar green\nproperty uchar blue\nend_header\n";
        stream.Write(Encoding.ASCII.GetBytes(header));
        Span<byte> record = stackalloc byte[27];
        for (var i = 0; i < points.Count; i++)
        {
            var (p, n, c) = (points[i], normals[i], colors[i]);
            BinaryPrimitives.WriteSingleLittleEndian(record[0..], p.X);
            BinaryPrimitives.WriteSingleLittleEndian(record[4..], p.Y);
            BinaryPrimitives.WriteSingleLittleEndian(record[8..], p.Z);
            BinaryPrimitives.WriteSingleLittleEndian(record[12..], n.X);
            BinaryPrimitives.WriteSingleLittleEndian(record[16..], n.Y);
            BinaryPrimitives.WriteSingleLittleEndian(record[20..], n.Z);
            (record[24], record[25], record[26]) = (c.R, c.G, c.B);
            stream.Write(record);
        }
    }

    /// <summary>Reads only the header's element counts: (vertices, faces).</summary>
    public static (int Vertices, int Faces) Counts(string path)
    {
        using var stream = File.OpenRead(path);
        var header = Header.Read(stream);
        return (header.Count("vertex"), header.Count("face"));
    }

    public static PlyMesh Read(string path)
    {
        using var stream = new BufferedStream(File.OpenRead(path), 1 << 16);
        var header = Header.Read(stream);
        var reader = header.Binary ? (IValueReader)new BinaryValues(stream) : new TextValues(stream);
        Vector3[] vertices = [];
        Vector3[]? normals = null;
        byte[]? colors = null;
        var triangles = new List<int>();
        foreach (var element in header.Elements)
        {
            if (element.Name == "vertex")
            {
                vertices = new Vector3[element.Count];
                int Find(string name) => element.Properties.FindIndex(p => p.Name == name);
                int x = Find("x"), y = Find("y"), z = Find("z"), nx = Find("nx"), ny = Find("ny"), nz = Find("nz");
                int r = Find("red"), g = Find("green"), b = Find("blue");
                if (x < 0 || y < 0 || z < 0) throw new InvalidDataException($"{path}: vertices without x y z");
                if (nx >= 0 && ny >= 0 && nz >= 0) normals = new Vector3[element.Count];
                if (r >= 0 && g >= 0 && b >= 0) colors = new byte[element.Count * 3];
                var values = new double[element.Properties.Count];
                for (var i = 0; i < element.Count; i++)
                {
                    for (var p = 0; p < values.Length; p++) values[p] = reader.Read(element.Properties[p].Type);
                    vertices[i] = new Vector3((float)values[x], (float)values[y], (float)values[z]);
                    if (normals is not null) normals[i] = new Vector3((float)values[nx], (float)values[ny], (float)values[nz]);
                    if (colors is not null) (colors[3 * i], colors[3 * i + 1], colors[3 * i + 2]) = ((byte)values[r], (byte)values[g], (byte)values[b]);
                }
            }
            else
            {
                var polygon = new List<int>();
                for (var i = 0; i < element.Count; i++)
                    foreach (var property in element.Properties)
                    {
                        if (property.ListCountType is null) { reader.Read(property.Type); continue; }
                        var n = (int)reader.Read(property.ListCountType);
                        polygon.Clear();
                        for (var j = 0; j < n; j++) polygon.Add((int)reader.Read(property.Type));
                        if (element.Name != "face" || !property.Name.StartsWith("vertex_ind", StringComparison.Ordinal)) continue;
                        for (var j = 2; j < n; j++) triangles.AddRange([polygon[0], polygon[j - 1], polygon[j]]);
                    }
            }
        }
        return new PlyMesh(vertices, normals, colors, triangles.ToArray());
    }

    private sealed record Property(string Name, string Type, string? ListCountType);

    private sealed record Element(string Name, int Count, List<Property> Properties);

    private sealed record Header(bool Binary, List<Element> Elements)
    {
        public int Count(string name) => Elements.FirstOrDefault(e => e.Name == name)?.Count ?? 0;

        /// <summary>Reads the header byte by byte, leaving the stream at the first byte of the body.</summary>
        public static Header Read(Stream stream)
        {
            string Line()
            {
                var bytes = new List<byte>();
                int b;
                while ((b = stream.ReadByte()) >= 0 && b != '\n') if (b != '\r') bytes.Add((byte)b);
                if (b < 0 && bytes.Count == 0) throw new InvalidDataException("PLY header ends early");
                return Encoding.ASCII.GetString(bytes.ToArray());
            }
            if (Line() != "ply") throw new InvalidDataException("not a PLY file");
            var binary = false;
            var elements = new List<Element>();
            for (var line = Line(); line != "end_header"; line = Line())
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length == 0) continue;
                switch (f[0])
                {
                    case "format" when f[1] == "binary_little_endian": binary = true; break;
                    case "format" when f[1] != "ascii": throw new InvalidDataException($"PLY format {f[1]} is not read here");
                    case "element": elements.Add(new Element(f[1], int.Parse(f[2], CultureInfo.InvariantCulture), [])); break;
                    case "property" when f[1] == "list": elements[^1].Properties.Add(new Property(f[4], f[3], f[2])); break;
                    case "property": elements[^1].Properties.Add(new Property(f[2], f[1], null)); break;
                }
            }
            return new Header(binary, elements);
        }
    }

    private interface IValueReader
    {
        double Read(string type);
    }

    private sealed class BinaryValues(Stream stream) : IValueReader
    {
        private readonly byte[] buffer = new byte[8];

        public double Read(string type)
        {
            var size = type switch
            {
                "char" or "int8" or "uchar" or "uint8" => 1,
                "short" or "int16" or "ushort" or "uint16" => 2,
                "int" or "int32" or "uint" or "uint32" or "float" or "float32" => 4,
                "double" or "float64" => 8,
                _ => throw new InvalidDataException($"PLY type {type}"),
            };
            stream.ReadExactly(buffer, 0, size);
            var b = buffer.AsSpan(0, size);
            return type switch
            {
                "char" or "int8" => (sbyte)b[0],
                "uchar" or "uint8" => b[0],
                "short" or "int16" => BinaryPrimitives.ReadInt16LittleEndian(b),
                "ushort" or "uint16" => BinaryPrimitives.ReadUInt16LittleEndian(b),
                "int" or "int32" => BinaryPrimitives.ReadInt32LittleEndian(b),
                "uint" or "uint32" => BinaryPrimitives.ReadUInt32LittleEndian(b),
                "float" or "float32" => BinaryPrimitives.ReadSingleLittleEndian(b),
                _ => BinaryPrimitives.ReadDoubleLittleEndian(b),
            };
        }
    }

    private sealed class TextValues(Stream stream) : IValueReader
    {
        private readonly StreamReader reader = new(stream, Encoding.ASCII);
        private readonly Queue<string> pending = new();

        public double Read(string type)
        {
            while (pending.Count == 0)
            {
                var line = reader.ReadLine() ?? throw new EndOfStreamException("PLY body ends early");
                foreach (var token in line.Split(' ', StringSplitOptions.RemoveEmptyEntries)) pending.Enqueue(token);
            }
            return double.Parse(pending.Dequeue(), CultureInfo.InvariantCulture);
        }
    }
}
