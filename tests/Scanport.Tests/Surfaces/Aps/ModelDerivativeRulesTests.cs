using Scanport.ApsCloud;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Scanport.Surfaces.Aps.Oss;
using static Scanport.Tests.Surfaces.Aps.ModelDerivativeCalls;

namespace Scanport.Tests.Surfaces.Aps;

/// <summary>What Model Derivative refuses, and how manifests live: URNs, organizations, scopes, roles, bad jobs, failures, force, deletion.</summary>
[Collection(AppCollection.Name)]
public sealed class ModelDerivativeRulesTests(ScanportApp app)
{
    private const string Base = "/modelderivative/v2/designdata";

    [Fact]
    public async Task An_unknown_urn_and_a_design_before_any_job_have_no_manifest()
    {
        var md = await CreateAsync(app);
        var stored = await md.StoreModelAsync("tetrahedron.stl");
        var unknown = ApsUrns.Encode(ApsUrns.ObjectId(md.BucketKey, "nothing-here.stl"));

        foreach (var urn in new[] { unknown, stored })
        {
            var (report, _) = await md.SdkAsync(urn, ["manifest"]);
            AssertApsError(report.GetProperty("manifest"), 404);
        }
        var (job, _) = await md.SdkAsync(unknown, ["job"], Job(unknown));
        AssertApsError(job.GetProperty("job"), 404);
    }

    [Fact]
    public async Task Another_organizations_design_is_not_found()
    {
        var owner = await CreateAsync(app);
        var urn = await owner.StoreModelAsync("tetrahedron.stl");
        await owner.SdkAsync(urn, ["job", "wait"], Job(urn));
        var stranger = await CreateAsync(app, "admin");

        var (report, _) = await stranger.SdkAsync(urn, ["job", "manifest", "views", "thumbnail"], Job(urn));

        foreach (var step in new[] { "job", "manifest", "views", "thumbnail" }) AssertApsError(report.GetProperty(step), 404);
        using var client = app.Client(stranger.Token);
        await (await client.DeleteAsync($"{Base}/{urn}/manifest")).Status(HttpStatusCode.OK);
        var (still, _) = await owner.SdkAsync(urn, ["manifest"]);
        Assert.Equal("success", still.GetProperty("manifest").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_urn_with_padding_in_the_standard_alphabet_names_the_same_design()
    {
        var md = await CreateAsync(app);
        // A key whose object id's base64 has both '+' or '/' and padding.
        var key = Enumerable.Range(0, 1000).Select(i => $"model?{i}>.stl").First(k =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes(ApsUrns.ObjectId(md.BucketKey, k))) is var b64 && b64.EndsWith('=') && (b64.Contains('+') || b64.Contains('/')));
        var urlSafe = await md.StoreAsync(key, File.ReadAllBytes(Path.Combine(Models, "tetrahedron.stl")));
        var standard = Convert.ToBase64String(Encoding.UTF8.GetBytes(ApsUrns.ObjectId(md.BucketKey, key)));

        var (posted, _) = await md.SdkAsync(standard, ["job", "wait"], Job(standard));
        var (read, _) = await md.SdkAsync(urlSafe, ["manifest"]);

        Assert.Equal(standard, posted.GetProperty("job").GetProperty("urn").GetString());
        Assert.Equal("success", posted.GetProperty("manifest").GetProperty("status").GetString());
        Assert.Equal("success", read.GetProperty("manifest").GetProperty("status").GetString());
        Assert.Equal(standard, read.GetProperty("manifest").GetProperty("urn").GetString());
    }

    [Fact]
    public async Task Scopes_are_required_as_APS_states_them()
    {
        var md = await CreateAsync(app);
        var urn = await md.StoreModelAsync("tetrahedron.stl");

        var (readOnly, _) = await md.SdkAsync(urn, ["job", "delete"], Job(urn), token: await md.TokenAsync("data:read"));
        var (bucketOnly, _) = await md.SdkAsync(urn, ["manifest", "views", "formats"], token: await md.TokenAsync("bucket:read"));

        AssertApsError(readOnly.GetProperty("job"), 403, "AUTH-012");
        AssertApsError(readOnly.GetProperty("delete"), 403, "AUTH-012");
        AssertApsError(bucketOnly.GetProperty("manifest"), 403, "AUTH-012");
        AssertApsError(bucketOnly.GetProperty("views"), 403, "AUTH-012");
        Assert.True(bucketOnly.GetProperty("formats").GetProperty("formats").GetProperty("svf2").GetArrayLength() > 0);
        using var anonymous = app.Client();
        var response = await anonymous.GetAsync($"{Base}/{urn}/manifest");
        AssertApsError(await response.Status(HttpStatusCode.Unauthorized), 0, "AUTH-001");
        // viewables:read is enough to follow a manifest.
        var (viewer, _) = await md.SdkAsync(urn, ["manifest"], token: await md.TokenAsync("viewables:read"));
        AssertApsError(viewer.GetProperty("manifest"), 404);
    }

    [Fact]
    public async Task Reviewers_read_but_neither_translate_nor_delete()
    {
        var operatorKey = await CreateAsync(app);
        var urn = await operatorKey.StoreModelAsync("tetrahedron.stl");
        var reviewer = await ApsClient.CreateAsync(app, "reviewer");
        var token = (await reviewer.TwoLeggedAsync(AllScopes)).GetProperty("access_token").GetString()!;
        var reviewerCalls = operatorKey with { Client = reviewer, Token = token };

        var (report, _) = await reviewerCalls.SdkAsync(urn, ["job", "delete", "formats"], Job(urn));

        AssertApsError(report.GetProperty("job"), 403);
        AssertApsError(report.GetProperty("delete"), 403);
        Assert.True(report.GetProperty("formats").GetProperty("formats").TryGetProperty("svf", out _));
    }

    [Fact]
    public async Task Malformed_jobs_are_refused_with_400_in_APS_shape()
    {
        var md = await CreateAsync(app);
        var urn = await md.StoreModelAsync("tetrahedron.stl");
        var formats = new[] { new { type = "svf2", views = new[] { "3d" } } };
        var cases = new (string Body, string? Header, string? Value)[]
        {
            ("{not json", null, null),
            ("[]", null, null),
            ("{}", null, null),
            (Json(new { input = new { }, output = new { formats } }), null, null),
            (Json(new { input = new { urn = "%%%not-base64" }, output = new { formats } }), null, null),
            (Json(new { input = new { urn = ApsUrns.Encode("not an object id") }, output = new { formats } }), null, null),
            (Json(new { input = new { urn = 42 }, output = new { formats } }), null, null),
            (Json(new { input = new { urn }, output = new { formats = Array.Empty<object>() } }), null, null),
            (Json(new { input = new { urn }, output = new { formats = "svf2" } }), null, null),
            (Json(new { input = new { urn }, output = new { formats = new[] { new { type = "obj" } } } }), null, null),
            (Json(new { input = new { urn }, output = new { formats = new[] { new { type = "banana" } } } }), null, null),
            (Json(new { input = new { urn }, output = new { formats = new[] { new { type = "svf2", views = new[] { "4d" } } } } }), null, null),
            (Json(new { input = new { urn, compressedUrn = true }, output = new { formats } }), null, null),
            (Json(new { input = new { urn, compressedUrn = "yes" }, output = new { formats } }), null, null),
            (Json(new { input = new { urn, compressedUrn = true, rootFilename = new string('a', 2000) }, output = new { formats } }), null, null),
            (Json(new { input = new { urn }, output = new { formats }, misc = new { workflow = new string('w', 300) } }), null, null),
            (Json(new { input = new { urn }, output = new { formats }, misc = new { workflowAttribute = new { big = new string('x', 9000) } } }), null, null),
            (Json(new { input = new { urn }, output = new { formats }, misc = new { workflowAttribute = "not an object" } }), null, null),
            (Json(new { input = new { urn = new string('A', 5000) }, output = new { formats } }), null, null),
            (Json(new { input = new { urn }, output = new { formats } }), "region", "MARS"),
            (Json(new { input = new { urn }, output = new { formats } }), "x-ads-force", "maybe"),
        };
        using var client = app.Client(md.Token);
        foreach (var (body, header, value) in cases)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{Base}/job") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (header is not null) request.Headers.Add(header, value);
            var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body} {header}: {(int)response.StatusCode} {text}");
            AssertApsError(JsonDocument.Parse(text).RootElement, 0);
        }
    }

    [Fact]
    public async Task A_corrupt_file_ends_failed_with_a_message()
    {
        var md = await CreateAsync(app);
        var urn = await md.StoreAsync("broken.fbx", Encoding.ASCII.GetBytes("Kaydara FBX Binary  \0\u001a\0 this is not really an FBX file at all"));

        var (report, _) = await md.SdkAsync(urn, ["job", "wait", "views", "thumbnail"], Job(urn));

        var manifest = report.GetProperty("manifest");
        Assert.Equal(("failed", "complete", "false"), (manifest.GetProperty("status").GetString(), manifest.GetProperty("progress").GetString(),
            manifest.GetProperty("hasThumbnail").GetString()));
        var derivative = Assert.Single(manifest.GetProperty("derivatives").EnumerateArray());
        Assert.Equal("failed", derivative.GetProperty("status").GetString());
        var message = Assert.Single(derivative.GetProperty("messages").EnumerateArray());
        Assert.Equal("error", message.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(message.GetProperty("message").GetString()));
        Assert.Empty(report.GetProperty("views").GetProperty("data").GetProperty("metadata").EnumerateArray());
        AssertApsError(report.GetProperty("thumbnail"), 404);
    }

    [Fact]
    public async Task A_zip_whose_entries_leave_the_archive_fails()
    {
        var md = await CreateAsync(app);
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            zip.CreateEntryFromFile(Path.Combine(Models, "tetrahedron.stl"), "../../escape.stl");
        var urn = await md.StoreAsync("escape.zip", buffer.ToArray());

        var (report, _) = await md.SdkAsync(urn, ["job", "wait"], Job(urn, compressed: true, root: "escape.stl"));

        var manifest = report.GetProperty("manifest");
        Assert.Equal("failed", manifest.GetProperty("status").GetString());
        Assert.Contains("outside", manifest.GetProperty("derivatives")[0].GetProperty("messages")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task Without_force_a_translated_design_is_kept_and_with_it_translated_again()
    {
        var md = await CreateAsync(app);
        var urn = await md.StoreModelAsync("tetrahedron.stl");
        var (first, _) = await md.SdkAsync(urn, ["job", "wait"], Job(urn));

        var (kept, _) = await md.SdkAsync(urn, ["job", "manifest"], Job(urn), force: "false");
        var (again, _) = await md.SdkAsync(urn, ["job", "wait"], Job(urn), force: "true");

        Assert.Equal("created", kept.GetProperty("job").GetProperty("result").GetString());
        Assert.Equal(ViewGuid(first), ViewGuid(kept));
        Assert.Equal("success", again.GetProperty("job").GetProperty("result").GetString());
        Assert.Equal("success", again.GetProperty("manifest").GetProperty("status").GetString());
        Assert.NotEqual(ViewGuid(first), ViewGuid(again));
    }

    [Fact]
    public async Task Deleting_a_manifest_deletes_its_derivatives_and_is_idempotent()
    {
        var md = await CreateAsync(app);
        var urn = await md.StoreModelAsync("tetrahedron.stl");
        var (translated, _) = await md.SdkAsync(urn, ["job", "wait"], Job(urn));
        var graphics = translated.GetProperty("manifest").GetProperty("derivatives")[0].GetProperty("children")[0].GetProperty("children")
            .EnumerateArray().Single(c => c.GetProperty("role").GetString() == "graphics").GetProperty("urn").GetString()!;

        var (report, _) = await md.SdkAsync(urn, ["delete", "manifest", "delete"]);

        Assert.Equal("success", report.GetProperty("delete").GetProperty("result").GetString());
        AssertApsError(report.GetProperty("manifest"), 404);
        using var client = app.Client(md.Token);
        await (await client.GetAsync($"{Base}/{urn}/manifest/{Uri.EscapeDataString(graphics)}")).Status(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Tree_properties_and_thumbnails_take_APS_query_parameters()
    {
        var md = await CreateAsync(app);
        var urn = await md.StoreModelAsync("signpost.gltf");
        var (report, _) = await md.SdkAsync(urn, ["job", "wait", "details"], Job(urn));
        var guid = report.GetProperty("views").GetProperty("data").GetProperty("metadata")[0].GetProperty("guid").GetString();
        var signpost = Named(report.GetProperty("tree"), "Signpost").GetProperty("objectid").GetInt32();
        var board = Named(report.GetProperty("tree"), "Board").GetProperty("objectid").GetInt32();
        using var client = app.Client(md.Token);

        var subtree = await (await client.GetAsync($"{Base}/{urn}/metadata/{guid}?objectid={signpost}&level=1")).Status(HttpStatusCode.OK);
        var one = await (await client.GetAsync($"{Base}/{urn}/metadata/{guid}/properties?objectid={board}")).Status(HttpStatusCode.OK);

        var root = Assert.Single(subtree.GetProperty("data").GetProperty("objects").EnumerateArray());
        Assert.Equal("Signpost", root.GetProperty("name").GetString());
        Assert.All(root.GetProperty("objects").EnumerateArray(), c => Assert.False(c.TryGetProperty("objects", out _)));
        var properties = Assert.Single(one.GetProperty("data").GetProperty("collection").EnumerateArray());
        Assert.Equal("Red paint", properties.GetProperty("properties").GetProperty("Materials and Finishes").GetProperty("Material").GetString());
        foreach (var bad in new[] { $"metadata/{guid}?objectid=abc", $"metadata/{guid}?objectid={signpost}&level=2", $"metadata/{guid}?forceget=perhaps",
            $"metadata/{guid}/properties?objectid=-1", "thumbnail?width=123", "thumbnail?width=100&height=400" })
            AssertApsError(await (await client.GetAsync($"{Base}/{urn}/{bad}")).Status(HttpStatusCode.BadRequest), 0);
        foreach (var missing in new[] { $"metadata/{Guid.NewGuid()}", $"metadata/{guid}?objectid=9999", $"metadata/{Guid.NewGuid()}/properties",
            $"manifest/{Uri.EscapeDataString("urn:adsk.viewing:fs.file:" + urn + "/output/objects.json")}" })
            AssertApsError(await (await client.GetAsync($"{Base}/{urn}/{missing}")).Status(HttpStatusCode.NotFound), 0);
        var thumbnail = await client.GetAsync($"{Base}/{urn}/thumbnail");
        Assert.Equal(("image/png", "[200,200]"), (thumbnail.Content.Headers.ContentType?.MediaType, thumbnail.Headers.GetValues("x-ads-size").Single()));
    }

    [Fact]
    public async Task Specific_properties_are_queried_projected_and_paged()
    {
        var md = await CreateAsync(app);
        var urn = await md.StoreModelAsync("cabin-ifc4.ifc");
        await md.SdkAsync(urn, ["job", "wait"], Job(urn));
        var page = new { offset = 0, limit = 20 };
        object[] queries =
        [
            new { query = new Dictionary<string, object[]> { ["$in"] = ["externalId", "0K7w7JN4L0hfLqPYBSxTY8"] },
                fields = new[] { "objectid", "name", "externalId", "properties.Pset*" }, pagination = page, payload = "text" },
            new { query = new Dictionary<string, object[]> { ["$prefix"] = ["name", "Cabin"] }, fields = new[] { "name" }, pagination = new { offset = 1, limit = 1 } },
            new { query = new Dictionary<string, object[]> { ["$ge"] = ["properties.Geometry.Triangles", 1] }, fields = new[] { "properties.*.Triangles" }, pagination = page },
            new { query = new Dictionary<string, object[]> { ["$in"] = ["objectid", 1], ["$prefix"] = ["name", "C"] }, fields = new[] { "name" }, pagination = page },
            new { query = new Dictionary<string, object[]> { ["$in"] = ["name"] }, fields = new[] { "name" }, pagination = new { offset = 0, limit = 5000 } },
        ];

        var (report, _) = await md.SdkAsync(urn, ["query"], queries: queries);

        var results = report.GetProperty("queries");
        var wall = Assert.Single(results[0].GetProperty("data").GetProperty("collection").EnumerateArray());
        Assert.Equal(("North Wall", "0K7w7JN4L0hfLqPYBSxTY8"), (wall.GetProperty("name").GetString(), wall.GetProperty("externalId").GetString()));
        Assert.Equal("EI 60", wall.GetProperty("properties").GetProperty("Pset_WallCommon").GetProperty("FireRating").GetString());
        Assert.False(wall.GetProperty("properties").TryGetProperty("Geometry", out _));
        Assert.Equal(1, results[0].GetProperty("pagination").GetProperty("totalResults").GetInt32());
        Assert.Equal(2, results[1].GetProperty("pagination").GetProperty("totalResults").GetInt32()); // Cabin Project, Cabin
        var second = Assert.Single(results[1].GetProperty("data").GetProperty("collection").EnumerateArray());
        Assert.Equal(["name"], second.EnumerateObject().Select(p => p.Name));
        Assert.All(results[2].GetProperty("data").GetProperty("collection").EnumerateArray(),
            o => Assert.Equal(["Triangles"], o.GetProperty("properties").EnumerateObject().SelectMany(g => g.Value.EnumerateObject()).Select(p => p.Name)));
        AssertApsError(results[3], 400);
        AssertApsError(results[4], 400);
    }

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static string? ViewGuid(JsonElement report) =>
        report.GetProperty("manifest").GetProperty("derivatives")[0].GetProperty("children")[0].GetProperty("guid").GetString();

    /// <summary>An APS error: the status the client saw (0: not checked here) and a body with a message and a code.</summary>
    private static void AssertApsError(JsonElement error, int status, string? code = null)
    {
        if (status != 0) Assert.True(error.TryGetProperty("status", out var seen) && seen.GetInt32() == status, error.ToString());
        var body = error.TryGetProperty("body", out var b) ? b : error;
        Assert.False(string.IsNullOrEmpty(body.GetProperty("developerMessage").GetString()), error.ToString());
        var errorCode = body.GetProperty("errorCode").GetString();
        Assert.False(string.IsNullOrEmpty(errorCode));
        if (code is not null) Assert.Equal(code, errorCode);
    }
}
