using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Storage;
using Scanport.Tests.Surfaces.Platform;
using Scanport.Tests.Surfaces.Reconstruction3D;

namespace Scanport.Tests.Projects;

/// <summary>A project is deleted one way, whichever surface asks: its files go with it.</summary>
[Collection(AppCollection.Name)]
public sealed class ProjectDeletionTests(ScanportApp app)
{
    [Fact]
    public async Task Deleting_a_project_through_the_platform_API_deletes_its_reconstruction_files()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();
        var project = await (await admin.PostAsJsonAsync($"{PlatformCalls.Base}/projects", new { name = "Orbit" })).Status(HttpStatusCode.Created);
        var listed = await (await admin.GetAsync($"{ReconCalls.Base}/projects")).Status(HttpStatusCode.OK);
        var number = listed.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "Orbit").GetProperty("id").GetInt64();
        var frame = Path.Combine(RepoPaths.Shared, "data", "scenes", "orbit-30", "frame_000.jpg");
        await (await admin.UploadAsync(number, frame, "frame_000.jpg", "image/jpeg")).Status(HttpStatusCode.OK);
        var prefix = $"reconstruction/{project.Id()}/";
        Assert.NotEmpty(await ListAsync(prefix));

        await (await admin.DeleteAsync($"{PlatformCalls.Base}/projects/{project.Id()}")).Status(HttpStatusCode.NoContent);

        Assert.Empty(await ListAsync(prefix));
        await (await admin.GetAsync($"{ReconCalls.Base}/projects/{number}")).Status(HttpStatusCode.NotFound);
    }

    private async Task<IReadOnlyList<ObjectInfo>> ListAsync(string prefix)
    {
        var store = app.Services.GetRequiredService<IObjectStore>();
        return (await store.ListAsync("scanport", prefix, null, 1000, null, CancellationToken.None)).Objects;
    }
}
