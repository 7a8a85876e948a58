using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Data;
using Scanport.Projects;
using static Scanport.Tests.Surfaces.ApsIntegration.ApsiCalls;

namespace Scanport.Tests.Surfaces.ApsIntegration;

/// <summary>The document's <c>/projects</c>: each with a bucket of its own, paged, searched, sorted, changed and deleted with everything in it.</summary>
[Collection(AppCollection.Name)]
public sealed class ProjectsTests(ScanportApp app)
{
    private static string[] Names(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(p => p.Text("name"))];

    [Fact]
    public async Task Create_answers_201_with_a_bucket_key_of_the_folded_name_and_the_bucket_is_made()
    {
        var (email, client) = await app.UserAsync();

        var project = await client.ProjectAsync("Oficina Arquitectónica Ñandú 2024", "Descripción");

        Assert.True(project.Number() > 0);
        Assert.Equal("Oficina Arquitectónica Ñandú 2024", project.Text("name"));
        Assert.Equal("Descripción", project.Text("description"));
        var bucketKey = project.Text("bucket_key");
        Assert.Matches("^oficina-arquitectonica-nandu-2024-[a-z0-9]{6}$", bucketKey);
        Assert.Equal(0, project.GetProperty("files_count").GetInt32());
        Assert.Equal(project.GetProperty("created_at").GetDateTimeOffset(), project.GetProperty("updated_at").GetDateTimeOffset());
        var buckets = await (await client.GetAsync($"{Base}/aps/buckets")).Status(HttpStatusCode.OK);
        var bucket = Assert.Single(buckets.EnumerateArray());
        Assert.Equal(bucketKey, bucket.Text("bucket_key"));
        Assert.Equal("persistent", bucket.Text("policy"));
        var cloud = await app.CloudOfAsync(email);
        Assert.Equal(bucketKey, (await cloud.Oss.BucketAsync(bucketKey)).BucketKey);
    }

    [Fact]
    public async Task Create_refuses_a_missing_or_blank_name_and_a_long_description_with_422_and_stores_nothing()
    {
        var (_, client) = await app.UserAsync();

        Assert.Contains("body.name", await (await client.PostAsJsonAsync($"{Base}/projects", new { description = "d" })).InvalidAsync());
        Assert.Contains("body.name", await (await client.PostAsJsonAsync($"{Base}/projects", new { name = "   " })).InvalidAsync());
        Assert.Contains("body.name", await (await client.PostAsJsonAsync($"{Base}/projects", new { name = new string('n', 201) })).InvalidAsync());
        Assert.Contains("body.description", await (await client.PostAsJsonAsync($"{Base}/projects", new { name = "ok", description = new string('d', 4001) }))
            .InvalidAsync());
        await (await client.PostRawAsync($"{Base}/projects", """{"name": 42}""")).InvalidAsync();

        var page = await (await client.GetAsync($"{Base}/projects")).Status(HttpStatusCode.OK);
        Assert.Equal(0, page.GetProperty("total").GetInt32());
        Assert.Empty((await (await client.GetAsync($"{Base}/aps/buckets")).Status(HttpStatusCode.OK)).EnumerateArray());
    }

    [Fact]
    public async Task The_list_pages_searches_and_sorts()
    {
        var (_, client) = await app.UserAsync();
        foreach (var (name, description) in new[] { ("Beta", "torre norte"), ("Alfa", "hospital"), ("Gamma", "Torre sur"), ("Delta", null) })
            await client.ProjectAsync(name, description);

        var all = await (await client.GetAsync($"{Base}/projects")).Status(HttpStatusCode.OK);
        Assert.Equal(4, all.GetProperty("total").GetInt32());
        Assert.Equal(20, all.GetProperty("limit").GetInt32());
        Assert.Equal(0, all.GetProperty("offset").GetInt32());
        Assert.False(all.GetProperty("has_more").GetBoolean());
        Assert.Equal(["Beta", "Alfa", "Gamma", "Delta"], Names(all));
        var item = all.GetProperty("items")[0];
        foreach (var field in new[] { "id", "name", "description", "bucket_key", "created_at", "updated_at", "files_count" })
            Assert.True(item.TryGetProperty(field, out _), field);

        var first = await (await client.GetAsync($"{Base}/projects?limit=3")).Status(HttpStatusCode.OK);
        Assert.Equal(["Beta", "Alfa", "Gamma"], Names(first));
        Assert.True(first.GetProperty("has_more").GetBoolean());
        Assert.Equal(4, first.GetProperty("total").GetInt32());
        var second = await (await client.GetAsync($"{Base}/projects?limit=3&offset=3")).Status(HttpStatusCode.OK);
        Assert.Equal(["Delta"], Names(second));
        Assert.False(second.GetProperty("has_more").GetBoolean());
        Assert.Equal(3, second.GetProperty("offset").GetInt32());
        var beyond = await (await client.GetAsync($"{Base}/projects?offset=10")).Status(HttpStatusCode.OK);
        Assert.Empty(Names(beyond));
        Assert.Equal(4, beyond.GetProperty("total").GetInt32());

        // Search looks at names and descriptions, in any letter case.
        var torre = await (await client.GetAsync($"{Base}/projects?search=TORRE")).Status(HttpStatusCode.OK);
        Assert.Equal(["Beta", "Gamma"], Names(torre));
        Assert.Equal(2, torre.GetProperty("total").GetInt32());
        Assert.Equal(["Alfa"], Names(await (await client.GetAsync($"{Base}/projects?search=alf")).Status(HttpStatusCode.OK)));
        Assert.Empty(Names(await (await client.GetAsync($"{Base}/projects?search=nada")).Status(HttpStatusCode.OK)));

        Assert.Equal(["Alfa", "Beta", "Delta", "Gamma"], Names(await (await client.GetAsync($"{Base}/projects?sort=name")).Status(HttpStatusCode.OK)));
        Assert.Equal(["Gamma", "Delta", "Beta", "Alfa"], Names(await (await client.GetAsync($"{Base}/projects?sort=name&order=desc")).Status(HttpStatusCode.OK)));
        Assert.Equal(["Beta", "Alfa", "Gamma", "Delta"], Names(await (await client.GetAsync($"{Base}/projects?sort=created_at&order=asc")).Status(HttpStatusCode.OK)));
        Assert.Equal(["Delta", "Gamma", "Alfa", "Beta"], Names(await (await client.GetAsync($"{Base}/projects?sort=created_at&order=desc")).Status(HttpStatusCode.OK)));
        Assert.Equal(["Gamma", "Beta"], Names(await (await client.GetAsync($"{Base}/projects?search=torre&sort=name&order=desc&limit=5")).Status(HttpStatusCode.OK)));
    }

    [Theory]
    [InlineData("limit=0", "query.limit")]
    [InlineData("limit=101", "query.limit")]
    [InlineData("limit=-1", "query.limit")]
    [InlineData("limit=ten", "query.limit")]
    [InlineData("limit=99999999999999", "query.limit")]
    [InlineData("offset=-1", "query.offset")]
    [InlineData("offset=1.5", "query.offset")]
    [InlineData("sort=size", "query.sort")]
    [InlineData("sort=name;drop", "query.sort")]
    [InlineData("order=up", "query.order")]
    [InlineData("order=DESC", "query.order")]
    [InlineData("limit=20&limit=30", "query.limit")]
    public async Task Bad_paging_or_sorting_is_422_naming_the_parameter(string query, string loc)
    {
        var (_, client) = await app.UserAsync();
        Assert.Contains(loc, await (await client.GetAsync($"{Base}/projects?{query}")).InvalidAsync());
    }

    [Fact]
    public async Task Limit_100_is_taken_and_a_search_too_long_is_not()
    {
        var (_, client) = await app.UserAsync();
        Assert.Equal(100, (await (await client.GetAsync($"{Base}/projects?limit=100")).Status(HttpStatusCode.OK)).GetProperty("limit").GetInt32());
        Assert.Contains("query.search", await (await client.GetAsync($"{Base}/projects?search={new string('s', 201)}")).InvalidAsync());
    }

    [Fact]
    public async Task Get_shows_the_files_and_put_changes_name_and_description()
    {
        var (_, client) = await app.UserAsync();
        var project = await client.ProjectAsync("Antes", "vieja");
        var file = await (await client.UploadModelAsync(project.Number(), "house.obj")).Status(HttpStatusCode.Created);

        var detail = await (await client.GetAsync($"{Base}/projects/{project.Number()}")).Status(HttpStatusCode.OK);
        Assert.Equal(project.Text("bucket_key"), detail.Text("bucket_key"));
        Assert.Equal(1, detail.GetProperty("files_count").GetInt32());
        var listed = Assert.Single(detail.GetProperty("files").EnumerateArray());
        Assert.Equal(file.Number(), listed.Number());
        Assert.Equal("house.obj", listed.Text("name"));
        Assert.Equal(file.Text("urn"), listed.Text("urn"));
        Assert.Equal("uploaded", listed.Text("status"));
        Assert.True(listed.TryGetProperty("uploaded_at", out _));

        var renamed = await (await client.PutAsJsonAsync($"{Base}/projects/{project.Number()}", new { name = "Después", description = "nueva" }))
            .Status(HttpStatusCode.OK);
        Assert.Equal("Después", renamed.Text("name"));
        Assert.Equal("nueva", renamed.Text("description"));
        Assert.Equal(project.Text("bucket_key"), renamed.Text("bucket_key"));
        Assert.True(renamed.GetProperty("updated_at").GetDateTimeOffset() >= detail.GetProperty("updated_at").GetDateTimeOffset());
        // Only what is sent changes.
        var described = await (await client.PutAsJsonAsync($"{Base}/projects/{project.Number()}", new { description = "otra" })).Status(HttpStatusCode.OK);
        Assert.Equal("Después", described.Text("name"));
        Assert.Equal("otra", described.Text("description"));

        Assert.Contains("body.name", await (await client.PutAsJsonAsync($"{Base}/projects/{project.Number()}", new { name = "" })).InvalidAsync());
        await (await client.PutAsync($"{Base}/projects/{project.Number()}", new StringContent("{", System.Text.Encoding.UTF8, "application/json"))).InvalidAsync();
        var unchanged = await (await client.GetAsync($"{Base}/projects/{project.Number()}")).Status(HttpStatusCode.OK);
        Assert.Equal("Después", unchanged.Text("name"));
        Assert.Equal("otra", unchanged.Text("description"));
    }

    [Fact]
    public async Task Delete_is_204_and_takes_the_files_their_translations_and_the_bucket_with_it()
    {
        var (email, client) = await app.UserAsync();
        var project = await client.ProjectAsync("Para borrar");
        var kept = await client.ProjectAsync("Se queda");
        var bucketKey = project.Text("bucket_key");
        var file = await (await client.UploadModelAsync(project.Number(), "tetrahedron.stl")).Status(HttpStatusCode.Created);
        await (await client.PostAsJsonAsync($"{Base}/aps/translate", new { urn = file.Text("urn") })).Status(HttpStatusCode.Accepted);
        Assert.Equal("ready", (await client.WaitForFileAsync(file.Number())).Text("status"));
        var cloud = await app.CloudOfAsync(email);
        Assert.Equal("success", (await cloud.Derivatives.ManifestAsync(file.Text("urn"))).Status);

        await (await client.DeleteAsync($"{Base}/projects/{project.Number()}")).Status(HttpStatusCode.NoContent);

        await (await client.GetAsync($"{Base}/projects/{project.Number()}")).ErrorAsync(HttpStatusCode.NotFound, "PROJECT_NOT_FOUND");
        await (await client.DeleteAsync($"{Base}/projects/{project.Number()}")).ErrorAsync(HttpStatusCode.NotFound, "PROJECT_NOT_FOUND");
        await (await client.PutAsJsonAsync($"{Base}/projects/{project.Number()}", new { name = "x" })).ErrorAsync(HttpStatusCode.NotFound, "PROJECT_NOT_FOUND");
        await (await client.GetAsync($"{Base}/files/{file.Number()}")).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        var buckets = await (await client.GetAsync($"{Base}/aps/buckets")).Status(HttpStatusCode.OK);
        Assert.Equal([kept.Text("bucket_key")], buckets.EnumerateArray().Select(b => b.Text("bucket_key")));
        Assert.Equal(["Se queda"], Names(await (await client.GetAsync($"{Base}/projects")).Status(HttpStatusCode.OK)));
        await GoneAsync(() => cloud.Oss.ObjectAsync(bucketKey, file.Text("name")));
        await GoneAsync(() => cloud.Derivatives.ManifestAsync(file.Text("urn")));
        await GoneAsync(() => cloud.Oss.BucketAsync(bucketKey));
        await (await client.GetAsync($"{Base}/aps/translate/{file.Text("urn")}/status")).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Another_organizations_project_is_not_found_and_nothing_of_it_changes()
    {
        var (_, owner) = await app.UserAsync();
        var (_, stranger) = await app.UserAsync();
        var project = await owner.ProjectAsync("Ajeno", "privado");
        var url = $"{Base}/projects/{project.Number()}";

        await (await stranger.GetAsync(url)).ErrorAsync(HttpStatusCode.NotFound, "PROJECT_NOT_FOUND");
        await (await stranger.PutAsJsonAsync(url, new { name = "Robado" })).ErrorAsync(HttpStatusCode.NotFound, "PROJECT_NOT_FOUND");
        await (await stranger.DeleteAsync(url)).ErrorAsync(HttpStatusCode.NotFound, "PROJECT_NOT_FOUND");
        await (await stranger.UploadModelAsync(project.Number(), "house.obj")).ErrorAsync(HttpStatusCode.NotFound, "PROJECT_NOT_FOUND");
        Assert.Equal(0, (await (await stranger.GetAsync($"{Base}/projects")).Status(HttpStatusCode.OK)).GetProperty("total").GetInt32());
        Assert.Equal(0, (await (await stranger.GetAsync($"{Base}/files?project_id={project.Number()}")).Status(HttpStatusCode.OK)).GetProperty("total").GetInt32());

        var still = await (await owner.GetAsync(url)).Status(HttpStatusCode.OK);
        Assert.Equal("Ajeno", still.Text("name"));
        Assert.Equal("privado", still.Text("description"));
        Assert.Equal(project.GetProperty("updated_at").GetDateTimeOffset(), still.GetProperty("updated_at").GetDateTimeOffset());
        Assert.Equal(0, still.GetProperty("files_count").GetInt32());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999999")]
    public async Task A_project_id_that_is_not_an_integer_is_422(string id)
    {
        var (_, client) = await app.UserAsync();
        await (await client.GetAsync($"{Base}/projects/{id}")).InvalidAsync();
        await (await client.PutAsJsonAsync($"{Base}/projects/{id}", new { name = "x" })).InvalidAsync();
        await (await client.DeleteAsync($"{Base}/projects/{id}")).InvalidAsync();
    }

    [Fact]
    public async Task An_unknown_project_id_is_404()
    {
        var (_, client) = await app.UserAsync();
        await (await client.GetAsync($"{Base}/projects/987654321")).ErrorAsync(HttpStatusCode.NotFound, "PROJECT_NOT_FOUND");
        await (await client.GetAsync($"{Base}/projects/0")).ErrorAsync(HttpStatusCode.NotFound, "PROJECT_NOT_FOUND");
    }

    [Fact]
    public async Task A_cloud_that_cannot_be_reached_is_502_aps_api_error_and_leaves_no_project()
    {
        int closedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var own = await ScanportApp.StartAsync(new Dictionary<string, string>
        {
            ["Aps:BaseUrl"] = $"http://127.0.0.1:{closedPort}/",
            ["Aps:ClientId"] = "unreachable-client",
            ["Aps:ClientSecret"] = "unreachable-secret",
            ["Aps:MaxAttempts"] = "2",
            ["Aps:RetryBaseDelay"] = "00:00:00.050",
            ["Aps:MaxRetryDelay"] = "00:00:00.200",
            ["Aps:RequestTimeout"] = "00:00:01",
            ["Aps:MaxRetryTime"] = "00:00:03",
        });
        try
        {
            var (_, client) = await own.UserAsync();

            var body = await (await client.PostAsJsonAsync($"{Base}/projects", new { name = "Sin nube" })).ErrorAsync(HttpStatusCode.BadGateway, "APS_API_ERROR");
            Assert.Equal($"{Base}/projects", body.Text("path"));

            Assert.Equal(0, (await (await client.GetAsync($"{Base}/projects")).Status(HttpStatusCode.OK)).GetProperty("total").GetInt32());
            using var scope = own.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
            Assert.False(await db.Projects.AnyAsync(p => p.Name == "Sin nube"));
            Assert.False(await db.Set<Scanport.Surfaces.ApsIntegration.ApsiBucket>().AnyAsync());
        }
        finally
        {
            await ((IAsyncLifetime)own).DisposeAsync();
        }
    }
}
