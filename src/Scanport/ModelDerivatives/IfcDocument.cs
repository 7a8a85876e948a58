namespace Scanport.ModelDerivatives;

/// <summary>What the IFC reader (<c>tools/ifc/ifc-to-json.mjs</c>) writes: the spatial tree, placed geometry, property sets.</summary>
internal sealed record IfcDocument(string Schema, IfcObject Root, IReadOnlyList<IfcMesh> Meshes, IReadOnlyDictionary<int, IReadOnlyList<IfcPropertySet>> PropertySets);

/// <summary>An object of the spatial structure (project, site, building, storey, element) by its STEP id.</summary>
internal sealed record IfcObject(int Id, string Type, string? Name, string? GlobalId, IReadOnlyList<IfcObject> Children);

/// <summary>The geometry of one element, in pieces of one colour each.</summary>
internal sealed record IfcMesh(int Id, IReadOnlyList<IfcMeshPiece> Pieces);

/// <summary>Triangles in world coordinates (Y up): xyz triples of positions and normals, RGBA colour.</summary>
internal sealed record IfcMeshPiece(float[] Color, float[] Positions, float[] Normals, int[] Indices);

/// <summary>A property set by name, its single values as text.</summary>
internal sealed record IfcPropertySet(string Name, IReadOnlyDictionary<string, string> Properties);
