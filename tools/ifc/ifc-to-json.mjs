// Reads an IFC file (IFC2X3 or IFC4) with web-ifc and writes, as JSON, what Scanport's ModelDerivatives module builds
// its glTF, object tree and properties from:
//   { schema, root: { id, type, name, globalId, children }, meshes: [{ id, pieces: [{ color, positions, normals,
//     indices }] }], propertySets: { "<id>": [{ name, properties: { name: value } }] } }
// Geometry is placed in world coordinates (glTF's Y up, as web-ifc gives it): positions by each piece's placement
// matrix, normals by its rotation too, or faces turned by the placement would be lit as if they had not turned.
// Usage: node ifc-to-json.mjs <input.ifc> <output.json>; on failure it prints why to stderr and exits 1.
import { readFileSync, writeFileSync } from 'node:fs';
import { IfcAPI } from 'web-ifc';

const [input, output] = process.argv.slice(2);
if (!input || !output) fail('usage: node ifc-to-json.mjs <input.ifc> <output.json>');

const api = new IfcAPI();
await api.Init(undefined, true);
const bytes = new Uint8Array(readFileSync(input));
// web-ifc reads a cut-off file up to where it stops, without complaint: a STEP file must end with its terminator.
if (!Buffer.from(bytes.subarray(-64)).toString('latin1').trimEnd().endsWith('END-ISO-10303-21;')) {
  fail('the file is cut short or not IFC: it does not end with END-ISO-10303-21;');
}
const modelId = api.OpenModel(bytes);
if (modelId < 0) fail('web-ifc could not open the file');

const schema = api.GetModelSchema(modelId);
let structure;
try {
  structure = await api.properties.getSpatialStructure(modelId);
} catch (e) {
  fail(`no spatial structure could be read (${e.message})`);
}
if (!structure || !structure.expressID) fail('the file has no IfcProject: it is not IFC, or it is cut short');

const root = describe(structure);
const meshes = [];
api.StreamAllMeshes(modelId, (mesh) => {
  const pieces = [];
  for (let i = 0; i < mesh.geometries.size(); i++) pieces.push(piece(mesh.geometries.get(i)));
  meshes.push({ id: mesh.expressID, pieces });
});

// An element with geometry but in no spatial container still belongs to the model: it hangs from the project.
const placed = new Set(elementIds(root));
for (const mesh of meshes) {
  if (!placed.has(mesh.id)) root.children.push(describe({ expressID: mesh.id }));
}

const propertySets = {};
for (const id of elementIds(root)) {
  const sets = await api.properties.getPropertySets(modelId, id, true);
  const named = sets.filter((s) => Array.isArray(s.HasProperties)).map((s) => ({
    name: text(s.Name) ?? `Property set ${s.expressID}`,
    properties: Object.fromEntries(s.HasProperties.filter((p) => p && p.Name).map((p) => [text(p.Name), value(p)])),
  }));
  if (named.length > 0) propertySets[id] = named;
}
api.CloseModel(modelId);

writeFileSync(output, JSON.stringify({ schema, root, meshes, propertySets }));

function describe(node) {
  const line = api.GetLine(modelId, node.expressID);
  return {
    id: node.expressID,
    type: api.GetNameFromTypeCode(api.GetLineType(modelId, node.expressID)),
    name: text(line.Name) ?? text(line.LongName) ?? null,
    globalId: text(line.GlobalId) ?? null,
    children: (node.children ?? []).map(describe),
  };
}

function* elementIds(node) {
  yield node.id;
  for (const child of node.children) yield* elementIds(child);
}

function piece(placed) {
  const geometry = api.GetGeometry(modelId, placed.geometryExpressID);
  const vertices = api.GetVertexArray(geometry.GetVertexData(), geometry.GetVertexDataSize());
  const indices = Array.from(api.GetIndexArray(geometry.GetIndexData(), geometry.GetIndexDataSize()));
  geometry.delete();
  const m = placed.flatTransformation; // column-major 4×4
  const positions = [];
  const normals = [];
  for (let i = 0; i < vertices.length; i += 6) {
    const [x, y, z, nx, ny, nz] = vertices.subarray(i, i + 6);
    positions.push(m[0] * x + m[4] * y + m[8] * z + m[12], m[1] * x + m[5] * y + m[9] * z + m[13], m[2] * x + m[6] * y + m[10] * z + m[14]);
    const rx = m[0] * nx + m[4] * ny + m[8] * nz, ry = m[1] * nx + m[5] * ny + m[9] * nz, rz = m[2] * nx + m[6] * ny + m[10] * nz;
    const length = Math.hypot(rx, ry, rz) || 1;
    normals.push(rx / length, ry / length, rz / length);
  }
  const { x: r, y: g, z: b, w: a } = placed.color;
  return { color: [r, g, b, a], positions, normals, indices };
}

function text(attribute) {
  return attribute && attribute.value !== undefined && attribute.value !== null && attribute.value !== '' ? String(attribute.value) : undefined;
}

function value(property) {
  const nominal = property.NominalValue;
  if (!nominal || nominal.value === undefined) return '';
  // IfcBoolean and IfcLogical come as their STEP enumerations.
  if (nominal.value === 'T' || nominal.value === '.T.') return 'true';
  if (nominal.value === 'F' || nominal.value === '.F.') return 'false';
  return String(nominal.value);
}

function fail(message) {
  process.stderr.write(`ifc-to-json: ${message}\n`);
  process.exit(1);
}
