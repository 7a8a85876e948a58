using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Scanport.Data;
using Scanport.Surfaces.Reconstruction3D;
using Scanport.Tests.Browser;
using Scanport.Tests.Surfaces.Aps;
using static Scanport.Tests.Console.ConsoleBrowser;

namespace Scanport.Tests.Console;

/// <summary>
/// A project's reconstruction meshes in the Models section and the model page: the PLY mesh and the GLB textured mesh
/// drawn from their presigned URLs. The meshes are stored and recorded as a finished reconstruction leaves them (a real
/// COLMAP run takes every core for minutes; its tests are the reconstruction surface's).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ConsoleModelMeshTests(ScanportApp app)
{
    [Fact]
    public async Task A_reconstructions_ply_and_glb_meshes_are_listed_and_open_drawn()
    {
        var tenant = await app.NewTenantAsync();
        var projectId = await CreateProjectAsync(app, tenant.AdminToken, "Reconstructed yard");
        await ReconstructedAsync(projectId, File.ReadAllBytes(Path.Combine(ModelDerivativeCalls.Models, "pyramid.ply")), Pyramid());
        await using var page = await OpenAsync(app, $"/console/projects/{projectId}");
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);
        await Assertions.Expect(Heading(page, "Reconstructed yard")).ToBeVisibleAsync();

        var meshes = page.Page.GetByTestId("model").And(page.Page.Locator("[data-kind=mesh]"));
        await Assertions.Expect(meshes).ToHaveCountAsync(2);
        await Assertions.Expect(meshes).ToContainTextAsync(["Mesh", "Textured mesh"]);

        foreach (var (name, id) in new[] { ("Mesh", "reconstruction-mesh"), ("Textured mesh", "reconstruction-textured-mesh") })
        {
            await page.Page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }).ClickAsync();
            await Assertions.Expect(Heading(page, name)).ToBeVisibleAsync();
            Assert.EndsWith($"/console/projects/{projectId}/models/{id}", page.Page.Url, StringComparison.Ordinal);
            var viewer = page.Page.GetByTestId("model-viewer");
            await Assertions.Expect(viewer).ToHaveAttributeAsync("data-state", "ready", new() { Timeout = 60_000 });
            var drawn = await page.DrawnShareAsync("[data-testid=model-viewer] canvas");
            Assert.True(drawn > 0.02, $"the {name} canvas is blank ({drawn:P2} drawn)\n{page.Log}");
            await ConsoleAccessibilityTests.AssertAccessibleAsync(page, $"{name} model");
            await page.Page.GetByRole(AriaRole.Link, new() { Name = "Reconstructed yard" }).ClickAsync();
            await Assertions.Expect(Heading(page, "Reconstructed yard")).ToBeVisibleAsync();
        }
    }

    [Fact]
    public async Task A_mesh_the_project_does_not_have_is_model_not_found()
    {
        var tenant = await app.NewTenantAsync();
        var projectId = await CreateProjectAsync(app, tenant.AdminToken, "Nothing reconstructed");
        await using var page = await OpenAsync(app, $"/console/projects/{projectId}/models/reconstruction-mesh");
        await SignInAsync(page, tenant.AdminEmail, TenantPassword);

        await Assertions.Expect(Heading(page, "Model not found")).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByRole(AriaRole.Link, new() { Name = "Back to the project" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Page.GetByTestId("model-viewer")).ToHaveCountAsync(0);
    }

    /// <summary>Stores the meshes where a reconstruction's job stores its outputs and records them on the project, as it does.</summary>
    private async Task ReconstructedAsync(Guid projectId, byte[] ply, byte[] glb)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var files = scope.ServiceProvider.GetRequiredService<ProjectFiles>();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        var mesh = files.Output(projectId, "mesh.ply");
        var textured = files.Output(projectId, "textured_mesh.glb");
        await files.PutAsync(mesh, new MemoryStream(ply), "application/vnd.ply", CancellationToken.None);
        await files.PutAsync(textured, new MemoryStream(glb), "model/gltf-binary", CancellationToken.None);
        var recon = await db.Set<ReconProject>().FirstOrDefaultAsync(r => r.ProjectId == projectId);
        if (recon is null) db.Add(recon = new ReconProject { ProjectId = projectId });
        (recon.MeshKey, recon.TexturedMeshKey, recon.UpdatedAt) = (mesh, textured, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
    }

    /// <summary>A binary glTF of a square pyramid (one mesh, positions only), written as the GLB layout says.</summary>
    internal static byte[] Pyramid()
    {
        float[] positions = [0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0.5f, 1, 0.5f];
        ushort[] indices = [0, 2, 1, 0, 3, 2, 0, 1, 4, 1, 2, 4, 2, 3, 4, 3, 0, 4];
        var bin = new byte[(positions.Length * 4 + indices.Length * 2 + 3) / 4 * 4];
        for (var i = 0; i < positions.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bin.AsSpan(i * 4), positions[i]);
        for (var i = 0; i < indices.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(bin.AsSpan(positions.Length * 4 + i * 2), indices[i]);
        var json = JsonSerializer.Serialize(new
        {
            asset = new { version = "2.0" },
            scene = 0,
            scenes = new[] { new { nodes = new[] { 0 } } },
            nodes = new[] { new { mesh = 0, name = "Pyramid" } },
            meshes = new[] { new { primitives = new[] { new { attributes = new { POSITION = 0 }, indices = 1 } } } },
            accessors = new object[]
            {
                new { bufferView = 0, componentType = 5126, count = 5, type = "VEC3", min = new[] { 0, 0, 0 }, max = new[] { 1, 1, 1 } },
                new { bufferView = 1, componentType = 5123, count = indices.Length, type = "SCALAR" },
            },
            bufferViews = new[]
            {
                new { buffer = 0, byteOffset = 0, byteLength = positions.Length * 4 },
                new { buffer = 0, byteOffset = positions.Length * 4, byteLength = indices.Length * 2 },
            },
            buffers = new[] { new { byteLength = bin.Length } },
        });
        var jsonBytes = Encoding.UTF8.GetBytes(json.PadRight((json.Length + 3) / 4 * 4));
        var glb = new byte[12 + 8 + jsonBytes.Length + 8 + bin.Length];
        var span = glb.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, 0x46546C67); // "glTF"
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], 2);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)glb.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], (uint)jsonBytes.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], 0x4E4F534A); // "JSON"
        jsonBytes.CopyTo(span[20..]);
        var at = 20 + jsonBytes.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(span[at..], (uint)bin.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 4)..], 0x004E4942); // "BIN\0"
        bin.CopyTo(span[(at + 8)..]);
        return glb;
    }
}
