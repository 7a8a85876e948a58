using System.Numerics;
using System.Runtime.InteropServices;
using SharpGLTF.Memory;
using SharpGLTF.Schema2;

namespace Scanport.Reconstruction.Colmap;

/// <summary>
/// Writes a coloured mesh as glTF binary with SharpGLTF.Core's schema API (the registry serves Core, not the Toolkit's
/// builders): one triangle primitive with POSITION, NORMAL and COLOR_0 (RGBA bytes, normalized) and 32-bit indices,
/// under an unlit, double-sided material, so viewers show the colours taken from the photos as they are (the lighting
/// is already in them). Coordinates are COLMAP's (arbitrary scale and orientation, as the reconstruction found them).
/// </summary>
internal static class GlbWriter
{
    public static void Write(string path, Vector3[] vertices, Vector3[] normals, byte[] rgb, int[] triangles)
    {
        var model = ModelRoot.CreateModel();
        var material = model.CreateMaterial("photo colours");
        material.InitializeUnlit();
        material.DoubleSided = true;

        var rgba = new byte[vertices.Length * 4];
        for (var i = 0; i < vertices.Length; i++)
            (rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2], rgba[4 * i + 3]) = (rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2], 255);

        var primitive = model.CreateMesh("reconstruction").CreatePrimitive();
        primitive.Material = material;
        primitive.SetVertexAccessor("POSITION", Vertex(model, MemoryMarshal.AsBytes(vertices.AsSpan()).ToArray(), vertices.Length,
            new AttributeFormat(DimensionType.VEC3, EncodingType.FLOAT, false)));
        primitive.SetVertexAccessor("NORMAL", Vertex(model, MemoryMarshal.AsBytes(normals.AsSpan()).ToArray(), normals.Length,
            new AttributeFormat(DimensionType.VEC3, EncodingType.FLOAT, false)));
        primitive.SetVertexAccessor("COLOR_0", Vertex(model, rgba, vertices.Length,
            new AttributeFormat(DimensionType.VEC4, EncodingType.UNSIGNED_BYTE, true)));

        var indexBytes = MemoryMarshal.AsBytes(triangles.AsSpan()).ToArray();
        var indices = model.CreateAccessor("indices");
        indices.SetIndexData(model.UseBufferView(indexBytes, 0, null, 0, BufferMode.ELEMENT_ARRAY_BUFFER), 0, triangles.Length, IndexEncodingType.UNSIGNED_INT);
        primitive.SetIndexAccessor(indices);

        model.UseScene("reconstruction").CreateNode("reconstruction").Mesh = primitive.LogicalParent;
        model.SaveGLB(path);
    }

    private static Accessor Vertex(ModelRoot model, byte[] data, int count, AttributeFormat format)
    {
        var accessor = model.CreateAccessor();
        accessor.SetVertexData(model.UseBufferView(data, 0, null, 0, BufferMode.ARRAY_BUFFER), 0, count, format);
        return accessor;
    }
}
