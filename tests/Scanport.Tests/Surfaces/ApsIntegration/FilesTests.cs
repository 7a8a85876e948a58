using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static Scanport.Tests.Surfaces.ApsIntegration.ApsiCalls;

namespace Scanport.Tests.Surfaces.ApsIntegration;

/// <summary>The document's <c>/files</c>: uploads checked and stored in the project's bucket, listed, read and deleted with their object and translation.</summary>
[Collection(AppCollection.Name)]
public sealed class FilesTests(ScanportApp app)
{
    private static string[] Names(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(p => p.Text("name"))];

    private static async Task<int> TotalAsync(HttpClient client, string query = "") =>
        (await (await client.GetAsync($"{Base}/files{query}")).Status(HttpStatusCode.OK)).GetProperty("total").GetInt32();

    [Fact]
    public async Task An_upload_is_201_uploaded_with_the_urn_of_its_object_in_the_projects_bucket()
    {
        var (email, client) = await app.UserAsync();
        var project = await client.ProjectAsync();
        var bytes = File.ReadAllBytes(Path.Combine(Aps.ModelDerivativeCalls.Models, "house.obj"));

        var file = await (await client.UploadAsync(project.Number(), bytes, "Casa Pequeña (v2).obj")).Status(HttpStatusCode.Created);

        Assert.True(file.Number() > 0);
        Assert.Equal("casa-pequena-v2.obj", file.Text("name"));
        Assert.Equal("Casa Pequeña (v2).obj", file.Text("original_filename"));
        Assert.Equal(project.Number(), file.GetProperty("project_id").GetInt64());
        Assert.Equal("uploaded", file.Text("status"));
        Assert.Equal(bytes.Length, file.GetProperty("size").GetInt64());
        Assert.True(file.TryGetProperty("uploaded_at", out _));
        Assert.Equal(JsonValueKind.Null, file.GetProperty("translated_at").ValueKind);
        var urn = file.Text("urn");
        Assert.DoesNotContain('=', urn);
        Assert.Equal($"urn:adsk.objects:os.object:{project.Text("bucket_key")}/casa-pequena-v2.obj", DecodeUrn(urn));
        var stored = await (await app.CloudOfAsync(email)).Oss.ObjectAsync(project.Text("bucket_key"), "casa-pequena-v2.obj");
        Assert.Equal(bytes.Length, stored.Size);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(bytes)), stored.Sha1);

        // The same name again is another object, numbered.
        var again = await (await client.UploadAsync(project.Number(), bytes, "Casa Pequeña (v2).obj")).Status(HttpStatusCode.Created);
        Assert.Equal("casa-pequena-v2-2.obj", again.Text("name"));
        Assert.NotEqual(urn, again.Text("urn"));
        Assert.Equal(2, (await (await client.GetAsync($"{Base}/projects/{project.Number()}")).Status(HttpStatusCode.OK)).GetProperty("files_count").GetInt32());
    }

    [Theory]
    [InlineData("notes.txt", ".txt")]
    [InlineData("setup.exe", ".exe")]
    [InlineData("README", "(none)")]
    [InlineData("model.obj.txt", ".txt")]
    public async Task A_type_the_cloud_does_not_translate_is_415_and_nothing_is_stored(string fileName, string named)
    {
        var (_, client) = await app.UserAsync();
        var project = await client.ProjectAsync();

        var body = await (await client.UploadAsync(project.Number(), Encoding.UTF8.GetBytes("hola mundo"), fileName))
            .ErrorAsync(HttpStatusCode.UnsupportedMediaType, "FILE_TYPE_NOT_SUPPORTED");

        Assert.Contains(named.TrimStart('.'), body.Text("detail"));
        Assert.Contains("obj", body.Text("detail"));
        Assert.Equal(0, await TotalAsync(client));
    }

    [Fact]
    public async Task A_file_over_the_limit_is_413_file_too_large_and_nothing_is_stored()
    {
        var own = await ScanportApp.StartAsync(new Dictionary<string, string> { ["Surfaces:Aps:MaxUploadBytes"] = "2048" });
        try
        {
            var (email, client) = await own.UserAsync();
            var project = await client.ProjectAsync();

            await (await client.UploadAsync(project.Number(), new byte[2049], "big.obj")).ErrorAsync(HttpStatusCode.RequestEntityTooLarge, "FILE_TOO_LARGE");
            // A body declared far over the limit is refused before it is read: asked with Expect: 100-continue, as curl does for
            // large bodies, so the answer is not raced by the body the server will not read.
            client.DefaultRequestHeaders.ExpectContinue = true;
            await (await client.UploadAsync(project.Number(), new byte[200_000], "bigger.obj")).ErrorAsync(HttpStatusCode.RequestEntityTooLarge, "FILE_TOO_LARGE");
            client.DefaultRequestHeaders.ExpectContinue = false;
            await (await client.UploadToBucketAsync(project.Text("bucket_key"), new byte[2049], "big.obj")).ErrorAsync(HttpStatusCode.RequestEntityTooLarge, "FILE_TOO_LARGE");

            Assert.Equal(0, await TotalAsync(client));
            await GoneAsync(async () => await (await own.CloudOfAsync(email)).Oss.ObjectAsync(project.Text("bucket_key"), "big.obj"));
            // At the limit it is taken.
            var bytes = Encoding.UTF8.GetBytes("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n");
            await (await client.UploadAsync(project.Number(), [.. bytes, .. new byte[2048 - bytes.Length]], "small.obj")).Status(HttpStatusCode.Created);
        }
        finally
        {
            await ((IAsyncLifetime)own).DisposeAsync();
        }
    }

    [Fact]
    public async Task Missing_or_bad_fields_and_other_bodies_are_422_and_nothing_is_stored()
    {
        var (_, client) = await app.UserAsync();
        var project = await client.ProjectAsync();
        var url = $"{Base}/files";

        Assert.Contains("body.file", await (await client.UploadAsync(project.Number(), [], "empty.obj")).InvalidAsync());
        Assert.Contains("body.project_id", await (await client.PostAsync(url, new MultipartFormDataContent
        {
            { new ByteArrayContent(Encoding.UTF8.GetBytes("v 0 0 0")), "file", "a.obj" },
        })).InvalidAsync());
        foreach (var bad in new[] { "abc", "-1", "0", "1.5", "99999999999999999999999" })
            Assert.Contains("body.project_id", await (await client.PostAsync(url, new MultipartFormDataContent
            {
                { new StringContent(bad), "project_id" },
                { new ByteArrayContent(Encoding.UTF8.GetBytes("v 0 0 0")), "file", "a.obj" },
            })).InvalidAsync());
        Assert.Contains("body.file", await (await client.PostAsync(url, new MultipartFormDataContent
        {
            { new StringContent(project.Number().ToString(System.Globalization.CultureInfo.InvariantCulture)), "project_id" },
        })).InvalidAsync());
        await (await client.PostAsJsonAsync(url, new { project_id = project.Number(), file = "djAgMCAw" })).InvalidAsync();
        await (await client.PostAsync(url, new StringContent("v 0 0 0", Encoding.UTF8, "model/obj"))).InvalidAsync();
        await (await client.PostAsync(url, null)).InvalidAsync();

        Assert.Equal(0, await TotalAsync(client));
    }

    [Fact]
    public async Task An_unknown_project_is_404_project_not_found()
    {
        var (_, client) = await app.UserAsync();
        await (await client.UploadModelAsync(987654321, "house.obj")).ErrorAsync(HttpStatusCode.NotFound, "PROJECT_NOT_FOUND");
        Assert.Equal(0, await TotalAsync(client));
    }

    [Fact]
    public async Task A_reviewer_may_read_a_project_but_not_upload_to_it_and_nothing_is_stored()
    {
        var tenant = await app.NewTenantAsync();
        var (reviewerId, reviewerToken) = await tenant.UserAsync("reviewer");
        using var admin = tenant.Admin();
        await (await admin.PostAsJsonAsync("/platform/v1/projects", new { name = "Revisión", member_ids = new[] { reviewerId } })).Status(HttpStatusCode.Created);
        using var reviewer = app.Client(reviewerToken);
        var project = Assert.Single((await (await reviewer.GetAsync($"{Base}/projects")).Status(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal("Revisión", project.Text("name"));

        await (await reviewer.UploadModelAsync(project.Number(), "house.obj")).ErrorAsync(HttpStatusCode.Forbidden, "INSUFFICIENT_PERMISSIONS");
        await (await reviewer.UploadToBucketAsync(project.Text("bucket_key"), Encoding.UTF8.GetBytes("v 0 0 0"), "a.obj"))
            .ErrorAsync(HttpStatusCode.Forbidden, "INSUFFICIENT_PERMISSIONS");
        await (await reviewer.PostAsJsonAsync($"{Base}/projects", new { name = "No" })).ErrorAsync(HttpStatusCode.Forbidden, "INSUFFICIENT_PERMISSIONS");
        await (await reviewer.PutAsJsonAsync($"{Base}/projects/{project.Number()}", new { name = "No" })).ErrorAsync(HttpStatusCode.Forbidden, "INSUFFICIENT_PERMISSIONS");
        await (await reviewer.DeleteAsync($"{Base}/projects/{project.Number()}")).ErrorAsync(HttpStatusCode.Forbidden, "INSUFFICIENT_PERMISSIONS");

        Assert.Equal(0, await TotalAsync(admin));
        var detail = await (await admin.GetAsync($"{Base}/projects/{project.Number()}")).Status(HttpStatusCode.OK);
        Assert.Equal("Revisión", detail.Text("name"));
        Assert.Empty(detail.GetProperty("files").EnumerateArray());
        // The admin's own upload is taken, and the reviewer reads it.
        var file = await (await admin.UploadModelAsync(project.Number(), "house.obj")).Status(HttpStatusCode.Created);
        await (await reviewer.GetAsync($"{Base}/files/{file.Number()}")).Status(HttpStatusCode.OK);
        await (await reviewer.DeleteAsync($"{Base}/files/{file.Number()}")).ErrorAsync(HttpStatusCode.Forbidden, "INSUFFICIENT_PERMISSIONS");
        Assert.Equal(1, await TotalAsync(admin));
    }

    [Fact]
    public async Task The_list_filters_by_project_and_status_searches_and_sorts()
    {
        var (_, client) = await app.UserAsync();
        var first = await client.ProjectAsync("Primero");
        var second = await client.ProjectAsync("Segundo");
        await (await client.UploadModelAsync(first.Number(), "poster.obj", "Modelo Poster.obj")).Status(HttpStatusCode.Created);
        var house = await (await client.UploadModelAsync(first.Number(), "house.obj", "casa.obj")).Status(HttpStatusCode.Created);
        await (await client.UploadModelAsync(first.Number(), "tetrahedron.stl", "modelo-tetra.stl")).Status(HttpStatusCode.Created);
        await (await client.UploadModelAsync(second.Number(), "pyramid.ply")).Status(HttpStatusCode.Created);

        var all = await (await client.GetAsync($"{Base}/files")).Status(HttpStatusCode.OK);
        Assert.Equal(["modelo-poster.obj", "casa.obj", "modelo-tetra.stl", "pyramid.ply"], Names(all));
        Assert.Equal(4, all.GetProperty("total").GetInt32());
        Assert.Equal(20, all.GetProperty("limit").GetInt32());
        Assert.False(all.GetProperty("has_more").GetBoolean());
        var item = all.GetProperty("items")[1];
        Assert.Equal(house.Number(), item.Number());
        foreach (var field in new[] { "id", "name", "original_filename", "urn", "project_id", "status", "size", "uploaded_at", "translated_at" })
            Assert.True(item.TryGetProperty(field, out _), field);

        Assert.Equal(3, await TotalAsync(client, $"?project_id={first.Number()}"));
        Assert.Equal(["pyramid.ply"], Names(await (await client.GetAsync($"{Base}/files?filter[project_id]={second.Number()}")).Status(HttpStatusCode.OK)));
        Assert.Equal(0, await TotalAsync(client, "?project_id=987654321"));
        Assert.Equal(4, await TotalAsync(client, "?status=uploaded"));
        Assert.Equal(0, await TotalAsync(client, "?status=ready"));
        Assert.Equal(0, await TotalAsync(client, "?filter[status]=ready"));
        Assert.Equal(4, await TotalAsync(client, "?filter%5Bstatus%5D=uploaded"));
        Assert.Equal(["modelo-poster.obj", "modelo-tetra.stl"], Names(await (await client.GetAsync($"{Base}/files?search=MODELO")).Status(HttpStatusCode.OK)));
        // Search looks at the original name too.
        Assert.Equal(["modelo-poster.obj"], Names(await (await client.GetAsync($"{Base}/files?search=Modelo%20Poster")).Status(HttpStatusCode.OK)));
        Assert.Equal(["pyramid.ply", "modelo-tetra.stl", "modelo-poster.obj", "casa.obj"],
            Names(await (await client.GetAsync($"{Base}/files?sort=name&order=desc")).Status(HttpStatusCode.OK)));
        Assert.Equal(["pyramid.ply", "modelo-tetra.stl", "casa.obj", "modelo-poster.obj"],
            Names(await (await client.GetAsync($"{Base}/files?sort=created_at&order=desc")).Status(HttpStatusCode.OK)));
        var page = await (await client.GetAsync($"{Base}/files?search=modelo&sort=created_at&order=desc&filter[status]=uploaded&limit=1")).Status(HttpStatusCode.OK);
        Assert.Equal(["modelo-tetra.stl"], Names(page));
        Assert.True(page.GetProperty("has_more").GetBoolean());
        Assert.Equal(2, page.GetProperty("total").GetInt32());

        Assert.Contains("query.status", await (await client.GetAsync($"{Base}/files?status=done")).InvalidAsync());
        Assert.Contains("query.project_id", await (await client.GetAsync($"{Base}/files?project_id=abc")).InvalidAsync());
        Assert.Contains("query.sort", await (await client.GetAsync($"{Base}/files?sort=urn")).InvalidAsync());
        Assert.Contains("query.limit", await (await client.GetAsync($"{Base}/files?limit=500")).InvalidAsync());
    }

    [Fact]
    public async Task Get_reads_a_file_and_delete_removes_it_its_object_and_its_manifest()
    {
        var (email, client) = await app.UserAsync();
        var project = await client.ProjectAsync();
        var kept = await (await client.UploadModelAsync(project.Number(), "house.obj")).Status(HttpStatusCode.Created);
        var file = await (await client.UploadModelAsync(project.Number(), "tetrahedron.stl")).Status(HttpStatusCode.Created);

        var read = await (await client.GetAsync($"{Base}/files/{file.Number()}")).Status(HttpStatusCode.OK);
        Assert.Equal(file.Text("urn"), read.Text("urn"));
        Assert.Equal("uploaded", read.Text("status"));
        Assert.Equal(JsonValueKind.Null, read.GetProperty("metadata").ValueKind);

        await (await client.PostAsJsonAsync($"{Base}/aps/translate", new { urn = file.Text("urn") })).Status(HttpStatusCode.Accepted);
        var ready = await client.WaitForFileAsync(file.Number());
        Assert.Equal("ready", ready.Text("status"));
        Assert.True(ready.GetProperty("translated_at").GetDateTimeOffset() >= ready.GetProperty("uploaded_at").GetDateTimeOffset());
        Assert.Equal("complete", ready.GetProperty("metadata").Text("progress"));
        Assert.Equal(1, await TotalAsync(client, "?status=ready"));
        var cloud = await app.CloudOfAsync(email);
        var bucketKey = project.Text("bucket_key");

        await (await client.DeleteAsync($"{Base}/files/{file.Number()}")).Status(HttpStatusCode.NoContent);

        await (await client.GetAsync($"{Base}/files/{file.Number()}")).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await client.DeleteAsync($"{Base}/files/{file.Number()}")).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await GoneAsync(() => cloud.Oss.ObjectAsync(bucketKey, file.Text("name")));
        await GoneAsync(() => cloud.Derivatives.ManifestAsync(file.Text("urn")));
        Assert.Equal([kept.Number()], (await (await client.GetAsync($"{Base}/projects/{project.Number()}")).Status(HttpStatusCode.OK))
            .GetProperty("files").EnumerateArray().Select(f => f.Number()));
        Assert.Equal(kept.GetProperty("size").GetInt64(), (await cloud.Oss.ObjectAsync(bucketKey, kept.Text("name"))).Size);
    }

    [Fact]
    public async Task Another_organizations_file_is_not_found_and_stays()
    {
        var (_, owner) = await app.UserAsync();
        var (_, stranger) = await app.UserAsync();
        var project = await owner.ProjectAsync();
        var file = await (await owner.UploadModelAsync(project.Number(), "house.obj")).Status(HttpStatusCode.Created);

        await (await stranger.GetAsync($"{Base}/files/{file.Number()}")).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await stranger.DeleteAsync($"{Base}/files/{file.Number()}")).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal(0, await TotalAsync(stranger));
        Assert.Equal("uploaded", (await (await owner.GetAsync($"{Base}/files/{file.Number()}")).Status(HttpStatusCode.OK)).Text("status"));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-")]
    [InlineData("99999999999999999999999")]
    public async Task A_file_id_that_is_not_an_integer_is_422(string id)
    {
        var (_, client) = await app.UserAsync();
        await (await client.GetAsync($"{Base}/files/{id}")).InvalidAsync();
        await (await client.DeleteAsync($"{Base}/files/{id}")).InvalidAsync();
    }
}
