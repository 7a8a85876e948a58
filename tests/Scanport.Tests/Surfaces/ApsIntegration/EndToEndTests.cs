using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using static Scanport.Tests.Surfaces.ApsIntegration.ApsiCalls;

namespace Scanport.Tests.Surfaces.ApsIntegration;

/// <summary>
/// The document as a user meets it, on Scanport's own APS cloud: register, sign in, make a project, upload an IFC and an
/// OBJ, translate both, hear the translation webhooks, read status and metadata, and get the viewer's configuration.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class EndToEndTests(ScanportApp app)
{
    [Fact]
    public async Task A_user_uploads_translates_and_reads_an_ifc_and_an_obj()
    {
        var (_, client) = await app.UserAsync();
        var project = await client.ProjectAsync();
        var projectId = project.GetProperty("id").GetInt64();
        Assert.Matches("^edificio-corporativo-[a-z0-9]{6}$", project.GetProperty("bucket_key").GetString());
        Assert.Equal(0, project.GetProperty("files_count").GetInt32());

        var ifc = await (await client.UploadModelAsync(projectId, "cabin-ifc4.ifc", "Cabaña Lago.ifc")).Status(HttpStatusCode.Created);
        var obj = await (await client.UploadModelAsync(projectId, "house.obj")).Status(HttpStatusCode.Created);
        Assert.Equal("Cabaña Lago.ifc", ifc.GetProperty("original_filename").GetString());
        Assert.Equal("cabana-lago.ifc", ifc.GetProperty("name").GetString());
        Assert.Equal("Cabaña Lago.ifc", ifc.GetProperty("original_filename").GetString());
        Assert.Equal("uploaded", ifc.GetProperty("status").GetString());

        foreach (var file in new[] { ifc, obj })
        {
            var urn = file.GetProperty("urn").GetString()!;
            var accepted = await (await client.PostAsJsonAsync($"{Base}/aps/translate", new { urn })).Status(HttpStatusCode.Accepted);
            Assert.Equal("svf2", accepted.GetProperty("accepted_jobs").GetProperty("output").GetProperty("formats")[0].GetProperty("type").GetString());
        }
        foreach (var file in new[] { ifc, obj })
        {
            var done = await client.WaitForFileAsync(file.GetProperty("id").GetInt64());
            Assert.Equal("ready", done.GetProperty("status").GetString());
            Assert.Equal("3d", done.GetProperty("metadata").GetProperty("role").GetString());
            var urn = file.GetProperty("urn").GetString()!;
            var status = await (await client.GetAsync($"{Base}/aps/translate/{urn}/status")).Status(HttpStatusCode.OK);
            Assert.Equal("success", status.GetProperty("status").GetString());
            Assert.Equal("complete", status.GetProperty("progress").GetString());
            var metadata = await (await client.GetAsync($"{Base}/aps/models/{urn}/metadata")).Status(HttpStatusCode.OK);
            Assert.Equal("metadata", metadata.GetProperty("type").GetString());
            Assert.NotEmpty(metadata.GetProperty("children").EnumerateArray());
            var config = await (await client.GetAsync($"{Base}/viewer/config/{urn}")).Status(HttpStatusCode.OK);
            Assert.EndsWith($"/aps/viewer/{urn}", config.GetProperty("url").GetString());
        }
        var detail = await (await client.GetAsync($"{Base}/projects/{projectId}")).Status(HttpStatusCode.OK);
        Assert.Equal(2, detail.GetProperty("files").GetArrayLength());
    }
}
