using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Scanport.Data;
using Scanport.Surfaces.ApsIntegration;
using Scanport.Tests.Browser;
using static Scanport.Tests.Surfaces.ApsIntegration.ApsiCalls;

namespace Scanport.Tests.Surfaces.ApsIntegration;

/// <summary>
/// The document as a user meets it, on Scanport's own APS cloud: register, sign in, make a project, upload an IFC and an
/// OBJ, translate both, hear the translation webhooks, read status and metadata, get the viewer's configuration, and see
/// the model in Scanport's viewer in a browser.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class EndToEndTests(ScanportApp app)
{
    [Fact]
    public async Task A_user_uploads_translates_and_sees_an_ifc_and_an_obj()
    {
        using var anonymous = app.Client();
        var email = $"juan-{Guid.NewGuid():N}@apsi.test";
        var registered = await (await anonymous.PostAsJsonAsync($"{Base}/auth/register", new { email, password = Password, full_name = "Juan Pérez" }))
            .Status(HttpStatusCode.Created);
        Assert.Equal("Juan Pérez", registered.GetProperty("full_name").GetString());
        Assert.True(registered.GetProperty("is_active").GetBoolean());
        // The document's reference signs in with JSON; its example with a form (ApsiCalls.UserAsync).
        var login = await (await anonymous.PostAsJsonAsync($"{Base}/auth/login", new { username = email, password = Password })).Status(HttpStatusCode.OK);
        Assert.Equal("bearer", login.GetProperty("token_type").GetString());
        using var client = app.Client(login.GetProperty("access_token").GetString());

        var project = await client.ProjectAsync();
        var projectId = project.GetProperty("id").GetInt64();
        Assert.Matches("^edificio-corporativo-[a-z0-9]{6}$", project.GetProperty("bucket_key").GetString());
        Assert.Equal(0, project.GetProperty("files_count").GetInt32());

        var ifc = await (await client.UploadModelAsync(projectId, "cabin-ifc4.ifc", "Cabaña Lago.ifc")).Status(HttpStatusCode.Created);
        var obj = await (await client.UploadModelAsync(projectId, "house.obj")).Status(HttpStatusCode.Created);
        Assert.Equal("Cabaña Lago.ifc", ifc.GetProperty("original_filename").GetString());
        Assert.Equal("cabana-lago.ifc", ifc.GetProperty("name").GetString());
        Assert.Equal("uploaded", ifc.GetProperty("status").GetString());
        Assert.Equal(projectId, obj.GetProperty("project_id").GetInt64());

        foreach (var file in new[] { ifc, obj })
        {
            var urn = file.GetProperty("urn").GetString()!;
            var accepted = await (await client.PostAsJsonAsync($"{Base}/aps/translate", new { urn })).Status(HttpStatusCode.Accepted);
            Assert.Equal(urn, accepted.GetProperty("urn").GetString());
            var format = accepted.GetProperty("accepted_jobs").GetProperty("output").GetProperty("formats")[0];
            Assert.Equal("svf2", format.GetProperty("type").GetString());
            Assert.Equal(["2d", "3d"], format.GetProperty("views").EnumerateArray().Select(v => v.GetString()));
        }

        // The translations' webhooks reach the surface, which marks the files ready with no read through the API (a read
        // would also look at the manifest).
        await WebhookedReadyAsync(ifc.GetProperty("id").GetInt64(), obj.GetProperty("id").GetInt64());

        var ready = await (await client.GetAsync($"{Base}/files?project_id={projectId}&status=ready&sort=name&order=asc")).Status(HttpStatusCode.OK);
        Assert.Equal(["cabana-lago.ifc", "house.obj"], ready.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        foreach (var file in new[] { ifc, obj })
        {
            var urn = file.GetProperty("urn").GetString()!;
            var detail = await (await client.GetAsync($"{Base}/files/{file.GetProperty("id").GetInt64()}")).Status(HttpStatusCode.OK);
            Assert.Equal("ready", detail.GetProperty("status").GetString());
            Assert.Equal("3d", detail.GetProperty("metadata").GetProperty("role").GetString());
            Assert.True(detail.GetProperty("translated_at").TryGetDateTimeOffset(out _));
            var status = await (await client.GetAsync($"{Base}/aps/translate/{urn}/status")).Status(HttpStatusCode.OK);
            Assert.Equal("success", status.GetProperty("status").GetString());
            Assert.Equal("complete", status.GetProperty("progress").GetString());
            var metadata = await (await client.GetAsync($"{Base}/aps/models/{urn}/metadata")).Status(HttpStatusCode.OK);
            Assert.Equal("metadata", metadata.GetProperty("type").GetString());
            Assert.Equal("3d", metadata.GetProperty("role").GetString());
            Assert.NotEmpty(metadata.GetProperty("children").EnumerateArray());
        }
        var ifcMetadata = await (await client.GetAsync($"{Base}/aps/models/{ifc.GetProperty("urn").GetString()}/metadata")).Status(HttpStatusCode.OK);
        // The tree's one root (the IFC project) is looked through: its children are the model's top objects.
        Assert.Contains("Lakeside Site", ifcMetadata.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("name").GetString()));

        var detailOfProject = await (await client.GetAsync($"{Base}/projects/{projectId}")).Status(HttpStatusCode.OK);
        Assert.Equal(2, detailOfProject.GetProperty("files").GetArrayLength());
        Assert.Equal(2, detailOfProject.GetProperty("files_count").GetInt32());

        // The viewer: its configuration on Scanport's cloud points at Scanport's viewer page, which draws the model.
        var ifcUrn = ifc.GetProperty("urn").GetString()!;
        var config = await (await client.GetAsync($"{Base}/viewer/config/{ifcUrn}")).Status(HttpStatusCode.OK);
        Assert.Equal("scanport", config.GetProperty("api").GetString());
        Assert.Equal(ifcUrn, config.GetProperty("urn").GetString());
        var url = config.GetProperty("url").GetString()!;
        Assert.Equal($"{app.BaseAddress}aps/viewer/{ifcUrn}", url);

        await using var page = await Chromium.OpenAsync();
        await page.Page.GotoAsync($"{url}#token={Uri.EscapeDataString(config.GetProperty("access_token").GetString()!)}");
        await page.WaitForAsync("window.scanportViewer && window.scanportViewer.state !== 'loading'");
        var state = await page.Page.EvaluateAsync<string>("window.scanportViewer.state + ': ' + window.scanportViewer.error");
        Assert.True(state.StartsWith("ready", StringComparison.Ordinal), $"{state}\n{page.Log}");
        var drawn = await page.DrawnShareAsync("#canvas");
        Assert.True(drawn > 0.02, $"the canvas is blank ({drawn:P2} drawn)\n{page.Log}");
        await Assertions.Expect(page.Page.Locator("#tree button:text-is('North Wall')")).ToHaveCountAsync(1);
        await page.Page.Locator("#tree button:text-is('North Wall')").ClickAsync();
        await Assertions.Expect(page.Page.Locator("#properties")).ToContainTextAsync("IfcWall");
    }

    /// <summary>Waits for the files' rows to say <c>ready</c>, reading the database only.</summary>
    private async Task WebhookedReadyAsync(params long[] files)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(3);
        while (true)
        {
            using (var scope = app.Services.CreateScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
                var statuses = await db.Set<ApsiFile>().Where(f => files.Contains(f.Number)).Select(f => f.Status).ToListAsync();
                Assert.DoesNotContain(FileStatus.Failed, statuses);
                if (statuses.Count == files.Length && statuses.All(s => s == FileStatus.Ready)) return;
            }
            Assert.True(DateTimeOffset.UtcNow < deadline, "the translation webhooks did not arrive");
            await Task.Delay(100);
        }
    }
}
