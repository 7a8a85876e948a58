using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Scanport.ApsCloud;
using static Scanport.Tests.Surfaces.ApsIntegration.ApsiCalls;

namespace Scanport.Tests.Surfaces.ApsIntegration;

/// <summary>The document's <c>/aps</c> routes: buckets, raw uploads, translations, their status and metadata, and its own (misspelt) URNs.</summary>
[Collection(AppCollection.Name)]
public sealed class ApsRoutesTests(ScanportApp app)
{
    private const string DocumentUrn = "dXJuOmFkc2s6b2JqZWN0cy5vcy5vYmplY3Q6bXktYnVja2V0L21vZGVsby5ydnQ";

    private static byte[] Model(string name) => File.ReadAllBytes(Path.Combine(Aps.ModelDerivativeCalls.Models, name));

    private static async Task<JsonElement> BucketAsync(HttpClient client, string key, string? policy = "temporary") =>
        await (await client.PostAsJsonAsync($"{Base}/aps/buckets", new { bucket_key = key, policy })).Status(HttpStatusCode.Created);

    [Fact]
    public async Task A_bucket_is_created_201_listed_and_a_second_of_its_key_is_409()
    {
        var (email, client) = await app.UserAsync();
        var (_, other) = await app.UserAsync();
        var key = NewBucketKey();

        var bucket = await BucketAsync(client, key);

        Assert.Equal(key, bucket.Text("bucket_key"));
        Assert.Equal("temporary", bucket.Text("policy"));
        Assert.False(string.IsNullOrEmpty(bucket.Text("bucket_owner")));
        Assert.True(bucket.GetProperty("created_date").TryGetDateTimeOffset(out _));
        Assert.Empty(bucket.GetProperty("permissions").EnumerateArray());
        var listed = Assert.Single((await (await client.GetAsync($"{Base}/aps/buckets")).Status(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal(bucket.GetRawText(), listed.GetRawText());
        Assert.Equal(key, (await (await app.CloudOfAsync(email)).Oss.BucketAsync(key)).BucketKey);

        await (await client.PostAsJsonAsync($"{Base}/aps/buckets", new { bucket_key = key, policy = "persistent" })).ErrorAsync(HttpStatusCode.Conflict, "BUCKET_ALREADY_EXISTS");
        // Keys are global: another organization cannot have it either, and does not see it.
        await (await other.PostAsJsonAsync($"{Base}/aps/buckets", new { bucket_key = key })).ErrorAsync(HttpStatusCode.Conflict, "BUCKET_ALREADY_EXISTS");
        Assert.Empty((await (await other.GetAsync($"{Base}/aps/buckets")).Status(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal("temporary", Assert.Single((await (await client.GetAsync($"{Base}/aps/buckets")).Status(HttpStatusCode.OK)).EnumerateArray()).Text("policy"));
    }

    [Fact]
    public async Task Every_policy_is_taken_and_none_means_transient()
    {
        var (_, client) = await app.UserAsync();
        foreach (var policy in new[] { "transient", "temporary", "persistent" })
            Assert.Equal(policy, (await BucketAsync(client, NewBucketKey(policy), policy)).Text("policy"));
        Assert.Equal("transient", (await BucketAsync(client, NewBucketKey("default"), null)).Text("policy"));
        Assert.Equal(4, (await (await client.GetAsync($"{Base}/aps/buckets")).Status(HttpStatusCode.OK)).GetArrayLength());
    }

    [Theory]
    [InlineData("Upper-Case-Key", "body.bucket_key")]
    [InlineData("ab", "body.bucket_key")]
    [InlineData("with space", "body.bucket_key")]
    [InlineData("slash/key", "body.bucket_key")]
    [InlineData("", "body.bucket_key")]
    [InlineData(null, "body.bucket_key")]
    public async Task A_bad_bucket_key_is_422_and_no_bucket_is_made(string? key, string loc)
    {
        var (_, client) = await app.UserAsync();
        Assert.Contains(loc, await (await client.PostAsJsonAsync($"{Base}/aps/buckets", new { bucket_key = key, policy = "transient" })).InvalidAsync());
        Assert.Contains(loc, await (await client.PostAsJsonAsync($"{Base}/aps/buckets", new { bucket_key = key + new string('k', 129) })).InvalidAsync());
        Assert.Empty((await (await client.GetAsync($"{Base}/aps/buckets")).Status(HttpStatusCode.OK)).EnumerateArray());
    }

    [Fact]
    public async Task A_bad_policy_or_body_is_422()
    {
        var (_, client) = await app.UserAsync();
        var key = NewBucketKey();
        Assert.Contains("body.policy", await (await client.PostAsJsonAsync($"{Base}/aps/buckets", new { bucket_key = key, policy = "forever" })).InvalidAsync());
        await (await client.PostRawAsync($"{Base}/aps/buckets", $$"""{"bucket_key": "{{key}}", "policy": 3}""")).InvalidAsync();
        await (await client.PostRawAsync($"{Base}/aps/buckets", "{\"bucket_key\":")).InvalidAsync();
        Assert.Empty((await (await client.GetAsync($"{Base}/aps/buckets")).Status(HttpStatusCode.OK)).EnumerateArray());
        // The key is still free.
        await BucketAsync(client, key);
    }

    [Fact]
    public async Task An_upload_to_a_bucket_is_201_with_the_documents_fields()
    {
        var (email, client) = await app.UserAsync();
        var key = NewBucketKey();
        await BucketAsync(client, key);
        var bytes = Model("house.obj");

        var stored = await (await client.UploadToBucketAsync(key, bytes, "whatever.bin", "modelo.obj")).Status(HttpStatusCode.Created);

        Assert.Equal(key, stored.Text("bucket_key"));
        Assert.Equal($"urn:adsk.objects:os.object:{key}/modelo.obj", stored.Text("object_id"));
        Assert.Equal("modelo.obj", stored.Text("object_key"));
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(bytes)), stored.Text("sha1"));
        Assert.Equal(bytes.Length, stored.GetProperty("size").GetInt64());
        Assert.Equal("application/octet-stream", stored.Text("content_type"));
        Assert.EndsWith($"/oss/v2/buckets/{key}/objects/modelo.obj", stored.Text("location"));
        Assert.Equal(ApsUrns.Encode(stored.Text("object_id")), stored.Text("urn"));
        Assert.Equal(bytes.Length, (await (await app.CloudOfAsync(email)).Oss.ObjectAsync(key, "modelo.obj")).Size);

        // Without file_name the file's own name is the key.
        Assert.Equal("casa.obj", (await (await client.UploadToBucketAsync(key, bytes, "casa.obj")).Status(HttpStatusCode.Created)).Text("object_key"));
        Assert.Contains("body.file", await (await client.UploadToBucketAsync(key, [], "empty.obj")).InvalidAsync());
        Assert.Contains("body.file_name", await (await client.UploadToBucketAsync(key, bytes, "a.obj", "dir/a.obj")).InvalidAsync());
        Assert.Contains("body.file_name", await (await client.UploadToBucketAsync(key, bytes, "a.obj", "..")).InvalidAsync());
        await (await client.PostAsJsonAsync($"{Base}/aps/buckets/{key}/files", new { file_name = "a.obj" })).InvalidAsync();
    }

    [Fact]
    public async Task An_upload_to_another_organizations_or_an_unknown_bucket_is_404_and_stores_nothing()
    {
        var (email, owner) = await app.UserAsync();
        var (_, stranger) = await app.UserAsync();
        var key = NewBucketKey();
        await BucketAsync(owner, key);

        await (await stranger.UploadToBucketAsync(key, Model("house.obj"), "intruso.obj")).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await stranger.UploadToBucketAsync(NewBucketKey(), Model("house.obj"), "intruso.obj")).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");

        await GoneAsync(async () => await (await app.CloudOfAsync(email)).Oss.ObjectAsync(key, "intruso.obj"));
    }

    [Fact]
    public async Task Translate_is_202_as_the_document_and_status_and_metadata_follow_it()
    {
        var (_, client) = await app.UserAsync();
        var key = NewBucketKey();
        await BucketAsync(client, key);
        var urn = (await (await client.UploadToBucketAsync(key, Model("house.obj"), "house.obj")).Status(HttpStatusCode.Created)).Text("urn");

        // Never translated: no manifest yet.
        await (await client.GetAsync($"{Base}/aps/translate/{urn}/status")).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");

        var accepted = await (await client.PostAsJsonAsync($"{Base}/aps/translate", new { urn })).Status(HttpStatusCode.Accepted);
        Assert.Equal("manifest", accepted.Text("type"));
        Assert.Equal(urn, accepted.Text("urn"));
        Assert.Equal("success", accepted.Text("result"));
        var format = Assert.Single(accepted.GetProperty("accepted_jobs").GetProperty("output").GetProperty("formats").EnumerateArray());
        Assert.Equal("svf2", format.Text("type"));
        Assert.Equal(["2d", "3d"], format.GetProperty("views").EnumerateArray().Select(v => v.GetString()));

        var status = await WaitAsync(client, urn);
        Assert.Equal("manifest", status.Text("type"));
        Assert.Equal(urn, status.Text("urn"));
        Assert.False(string.IsNullOrEmpty(status.Text("region")));
        Assert.False(string.IsNullOrEmpty(status.Text("version")));
        Assert.Equal("success", status.Text("status"));
        Assert.Equal("complete", status.Text("progress"));

        var metadata = await (await client.GetAsync($"{Base}/aps/models/{urn}/metadata")).Status(HttpStatusCode.OK);
        Assert.Equal("metadata", metadata.Text("type"));
        Assert.Equal("3d", metadata.Text("role"));
        Assert.Equal("success", metadata.Text("status"));
        Assert.Equal("complete", metadata.Text("progress"));
        Assert.False(string.IsNullOrEmpty(metadata.Text("guid")));
        var child = metadata.GetProperty("children").EnumerateArray().First();
        Assert.Equal("object", child.Text("type"));
        Assert.Equal("3d", child.Text("role"));
        Assert.True(child.TryGetProperty("guid", out _));
        Assert.True(child.TryGetProperty("name", out _));
    }

    private static async Task<JsonElement> WaitAsync(HttpClient client, string urn)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromMinutes(3);
        while (true)
        {
            var status = await (await client.GetAsync($"{Base}/aps/translate/{urn}/status")).Status(HttpStatusCode.OK);
            Assert.Contains(status.Text("status"), new[] { "pending", "inprogress", "success", "failed", "timeout" });
            if (status.Text("status") is not ("pending" or "inprogress")) return status;
            if (TimeProvider.System.GetUtcNow() > deadline) throw new TimeoutException($"{urn} still {status.Text("status")}");
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task A_failed_translation_is_status_failed_and_its_metadata_422_translation_failed()
    {
        var (_, client) = await app.UserAsync();
        var project = await client.ProjectAsync();
        var file = await (await client.UploadAsync(project.Number(), Encoding.UTF8.GetBytes("ISO-10303-21;\nTHIS IS NOT AN IFC MODEL\n"), "roto.ifc"))
            .Status(HttpStatusCode.Created);
        var urn = file.Text("urn");

        await (await client.PostAsJsonAsync($"{Base}/aps/translate", new { urn })).Status(HttpStatusCode.Accepted);
        var status = await WaitAsync(client, urn);

        Assert.Equal("failed", status.Text("status"));
        await (await client.GetAsync($"{Base}/aps/models/{urn}/metadata")).ErrorAsync(HttpStatusCode.UnprocessableEntity, "TRANSLATION_FAILED");
        var failed = await client.WaitForFileAsync(file.Number());
        Assert.Equal("failed", failed.Text("status"));
        Assert.False(string.IsNullOrEmpty(failed.Text("error")));
        Assert.Equal(1, (await (await client.GetAsync($"{Base}/files?status=failed")).Status(HttpStatusCode.OK)).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Translate_refuses_unknown_foreign_bad_and_unsupported_urns()
    {
        var (_, owner) = await app.UserAsync();
        var (_, stranger) = await app.UserAsync();
        var key = NewBucketKey();
        await BucketAsync(owner, key);
        var urn = (await (await owner.UploadToBucketAsync(key, Model("house.obj"), "house.obj")).Status(HttpStatusCode.Created)).Text("urn");
        var text = (await (await owner.UploadToBucketAsync(key, Encoding.UTF8.GetBytes("hola"), "notas.txt")).Status(HttpStatusCode.Created)).Text("urn");

        await (await stranger.PostAsJsonAsync($"{Base}/aps/translate", new { urn })).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await stranger.GetAsync($"{Base}/aps/translate/{urn}/status")).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await stranger.GetAsync($"{Base}/aps/models/{urn}/metadata")).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        var unknown = ApsUrns.Encode(ApsUrns.ObjectId(NewBucketKey(), "x.obj"));
        await (await owner.PostAsJsonAsync($"{Base}/aps/translate", new { urn = unknown })).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await owner.GetAsync($"{Base}/aps/translate/{unknown}/status")).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        // The document's own example URN names a bucket that is not ours: not found, not invalid.
        await (await owner.PostAsJsonAsync($"{Base}/aps/translate", new { urn = DocumentUrn })).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");

        foreach (var bad in new[] { "not a urn!", "aGVsbG8", ApsUrns.Encode("urn:adsk.objects:os.object:"), "" })
            Assert.Contains("body.urn", await (await owner.PostAsJsonAsync($"{Base}/aps/translate", new { urn = bad })).InvalidAsync());
        Assert.Contains("body.urn", await (await owner.PostAsJsonAsync($"{Base}/aps/translate", new { })).InvalidAsync());
        await (await owner.PostRawAsync($"{Base}/aps/translate", """{"urn": 5}""")).InvalidAsync();
        await (await owner.GetAsync($"{Base}/aps/translate/not-a-urn/status")).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");

        await (await owner.PostAsJsonAsync($"{Base}/aps/translate", new { urn = text })).ErrorAsync(HttpStatusCode.UnsupportedMediaType, "FILE_TYPE_NOT_SUPPORTED");
        // None of it started a translation.
        await (await owner.GetAsync($"{Base}/aps/translate/{urn}/status")).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await owner.GetAsync($"{Base}/aps/translate/{text}/status")).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task The_documents_misspelt_urn_form_is_taken_and_answered_in_the_real_form()
    {
        Assert.Equal("urn:adsk:objects.os.object:my-bucket/modelo.rvt", DecodeUrn(DocumentUrn));
        var (_, client) = await app.UserAsync();
        var key = NewBucketKey("my-bucket");
        await BucketAsync(client, key);
        var real = (await (await client.UploadToBucketAsync(key, Model("tetrahedron.stl"), "modelo.stl")).Status(HttpStatusCode.Created)).Text("urn");
        var misspelt = MisspeltUrn(key, "modelo.stl");
        Assert.NotEqual(real, misspelt);
        Assert.Equal($"urn:adsk:objects.os.object:{key}/modelo.stl", DecodeUrn(misspelt));

        var accepted = await (await client.PostAsJsonAsync($"{Base}/aps/translate", new { urn = misspelt })).Status(HttpStatusCode.Accepted);
        Assert.Equal(real, accepted.Text("urn"));
        var status = await WaitAsync(client, misspelt);
        Assert.Equal(real, status.Text("urn"));
        Assert.Equal("success", status.Text("status"));
        Assert.Equal("success", (await (await client.GetAsync($"{Base}/aps/translate/{real}/status")).Status(HttpStatusCode.OK)).Text("status"));
        var metadata = await (await client.GetAsync($"{Base}/aps/models/{misspelt}/metadata")).Status(HttpStatusCode.OK);
        Assert.Equal("success", metadata.Text("status"));
        Assert.NotEmpty(metadata.GetProperty("children").EnumerateArray());
        // Padding, as some clients send it, is taken too.
        var padded = real + new string('=', (4 - real.Length % 4) % 4);
        Assert.Equal(real, (await (await client.GetAsync($"{Base}/aps/translate/{Uri.EscapeDataString(padded)}/status")).Status(HttpStatusCode.OK)).Text("urn"));
    }
}
