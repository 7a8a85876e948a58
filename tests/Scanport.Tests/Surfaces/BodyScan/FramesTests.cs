using System.Net;
using System.Text.Json;

namespace Scanport.Tests.Surfaces.BodyScan;

[Collection(AppCollection.Name)]
public sealed class FramesTests(ScanportApp app)
{
    [Fact]
    public async Task A_frame_is_recorded_with_the_documents_response()
    {
        using var client = app.Client(await app.AdminTokenAsync());
        var scanId = await client.InitAsync();

        var body = await (await client.FrameAsync(scanId, 0)).Status(HttpStatusCode.Created);

        Assert.True(Guid.TryParse(body.GetProperty("frameId").GetString(), out _));
        Assert.Equal(scanId, body.GetProperty("scanId").GetString());
        Assert.Equal(0, body.GetProperty("frameNumber").GetInt32());
        Assert.True(body.GetProperty("userInFrame").GetBoolean());
        Assert.Equal("Frame 0 recorded successfully", body.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(true, 0.9, true)]
    [InlineData(true, 0.5, false)]
    [InlineData(false, 0.99, false)]
    public async Task IsValid_is_computed_as_userInFrame_and_confidence_above_one_half(bool userInFrame, double confidence, bool expected)
    {
        using var client = app.Client(await app.AdminTokenAsync());
        var scanId = await client.InitAsync();
        await (await client.PostJsonAsync("/api/scan/frames", new { scanId, frameNumber = 3, userInFrame, confidence })).Status(HttpStatusCode.Created);

        var latest = (await client.StatusAsync(scanId)).GetProperty("latestFrame");
        Assert.Equal(expected, latest.GetProperty("isValid").GetBoolean());
        Assert.Equal(0.0, latest.GetProperty("stabilityScore").GetDouble());
        Assert.Equal(JsonValueKind.Null, latest.GetProperty("iou").ValueKind);
    }

    [Fact]
    public async Task An_explicit_isValid_wins_over_the_computed_one()
    {
        using var client = app.Client(await app.AdminTokenAsync());
        var scanId = await client.InitAsync();
        await (await client.PostJsonAsync("/api/scan/frames",
            new { scanId, frameNumber = 0, userInFrame = true, confidence = 0.99, isValid = false })).Status(HttpStatusCode.Created);
        Assert.Equal(0, (await client.StatusAsync(scanId)).GetProperty("qualityMetrics").GetProperty("validFrames").GetInt32());
    }

    [Fact]
    public async Task A_frame_number_sent_twice_is_answered_again_and_counted_once()
    {
        using var client = app.Client(await app.AdminTokenAsync());
        var scanId = await client.InitAsync();
        var first = await (await client.FrameAsync(scanId, 7, confidence: 0.9)).Status(HttpStatusCode.Created);

        var again = await (await client.FrameAsync(scanId, 7, userInFrame: false, confidence: 0.1)).Status(HttpStatusCode.OK);

        Assert.Equal(first.GetProperty("frameId").GetString(), again.GetProperty("frameId").GetString());
        Assert.True(again.GetProperty("userInFrame").GetBoolean());
        var status = await client.StatusAsync(scanId);
        Assert.Equal(1, status.GetProperty("frameCount").GetInt32());
        Assert.Equal(0.9, status.GetProperty("averageConfidence").GetDouble());
    }

    [Fact]
    public async Task Concurrent_frames_of_one_scan_are_all_counted_exactly_once()
    {
        using var client = app.Client(await app.AdminTokenAsync());
        var scanId = await client.InitAsync();

        // 40 distinct frames, each sent twice at the same time.
        var sends = Enumerable.Range(0, 80).Select(i => client.FrameAsync(scanId, i % 40, userInFrame: i % 2 == 0 || i >= 40, confidence: 0.5));
        var responses = await Task.WhenAll(sends);

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, r.StatusCode.ToString()));
        Assert.Equal(40, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        var metrics = (await client.StatusAsync(scanId)).GetProperty("qualityMetrics");
        Assert.Equal(40, metrics.GetProperty("totalFrames").GetInt32());
        Assert.Equal(0.5, metrics.GetProperty("avgConfidence").GetDouble());
    }

    [Fact]
    public async Task Frames_of_many_scans_posted_at_once_each_get_their_own_answer()
    {
        // On PostgreSQL frames posted at the same moment are committed as groups: each frame must still be answered for
        // itself, a locked scan's and another organization's refused without failing the others.
        using var client = app.Client(await app.AdminTokenAsync());
        var scans = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => client.InitAsync($"group-{i}")));
        var locked = await client.InitAsync("group-locked");
        await (await client.PostJsonAsync("/api/scan/lock", new { scanId = locked })).Status(HttpStatusCode.OK);
        var other = await app.NewTenantAsync();
        using var stranger = other.Admin();
        var theirs = await stranger.InitAsync("theirs");

        var sends = scans.SelectMany(scan => Enumerable.Range(0, 30).Select(n => (Scan: scan, Task: client.FrameAsync(scan, n % 25, userInFrame: true, confidence: 0.6))))
            .Concat(Enumerable.Range(0, 5).Select(n => (Scan: locked, Task: client.FrameAsync(locked, n, userInFrame: true, confidence: 0.6))))
            .Concat(Enumerable.Range(0, 5).Select(n => (Scan: theirs, Task: client.FrameAsync(theirs, n, userInFrame: true, confidence: 0.6))))
            .ToList();
        var statuses = (await Task.WhenAll(sends.Select(s => s.Task))).Select(r => r.StatusCode).ToList();
        IEnumerable<HttpStatusCode> Of(string scan) => sends.Select((s, i) => (s.Scan, Status: statuses[i])).Where(a => a.Scan == scan).Select(a => a.Status);

        foreach (var scan in scans)
        {
            var answers = Of(scan).ToList();
            Assert.Equal(25, answers.Count(a => a == HttpStatusCode.Created));
            Assert.Equal(5, answers.Count(a => a == HttpStatusCode.OK));
            var metrics = (await client.StatusAsync(scan)).GetProperty("qualityMetrics");
            Assert.Equal((25, 0.6), (metrics.GetProperty("totalFrames").GetInt32(), metrics.GetProperty("avgConfidence").GetDouble()));
        }
        Assert.All(Of(locked), s => Assert.Equal(HttpStatusCode.Conflict, s));
        Assert.All(Of(theirs), s => Assert.Equal(HttpStatusCode.NotFound, s));
        Assert.Equal(0, (await stranger.StatusAsync(theirs)).GetProperty("frameCount").GetInt32());
    }

    [Fact]
    public async Task Validation_failures_name_each_field_in_the_documents_error_shape()
    {
        using var client = app.Client(await app.AdminTokenAsync());
        var scanId = await client.InitAsync();

        var body = await (await client.PostJsonAsync("/api/scan/frames",
            new { scanId, frameNumber = -1, confidence = 1.5, stabilityScore = -0.1, iou = 2 })).Status(HttpStatusCode.BadRequest);

        Assert.Equal("Validation failed", body.GetProperty("error").GetString());
        var details = body.GetProperty("details");
        Assert.Contains("non-negative", details.Reasons("frameNumber")[0]);
        Assert.Equal(["is required (true or false)"], details.Reasons("userInFrame"));
        Assert.Contains("between 0.0 and 1.0", details.Reasons("confidence")[0]);
        Assert.Contains("between 0.0 and 1.0", details.Reasons("stabilityScore")[0]);
        Assert.Contains("between 0.0 and 1.0", details.Reasons("iou")[0]);
        Assert.Equal(0, (await client.StatusAsync(scanId)).GetProperty("frameCount").GetInt32());
    }

    [Theory]
    [InlineData("""{"scanId":"SCAN","frameNumber":"one","userInFrame":true,"confidence":0.9}""", "frameNumber", "must be an integer")]
    [InlineData("""{"scanId":"SCAN","frameNumber":1.5,"userInFrame":true,"confidence":0.9}""", "frameNumber", "must be an integer")]
    [InlineData("""{"scanId":"SCAN","frameNumber":1,"userInFrame":"yes","confidence":0.9}""", "userInFrame", "must be true or false")]
    [InlineData("""{"scanId":"SCAN","frameNumber":1,"userInFrame":true,"confidence":"0.9"}""", "confidence", "must be a number")]
    [InlineData("""{"scanId":"SCAN","frameNumber":1,"userInFrame":true,"confidence":"NaN"}""", "confidence", "must be a number")]
    [InlineData("""{"scanId":"SCAN","frameNumber":1,"userInFrame":true,"confidence":1e999}""", "confidence", "must be between 0.0 and 1.0")]
    [InlineData("""{"scanId":"SCAN","frameNumber":99999999999,"userInFrame":true,"confidence":0.9}""", "frameNumber", "must be a non-negative integer (at most 2147483647)")]
    public async Task Wrong_types_and_non_numbers_are_refused_and_change_nothing(string json, string field, string reason)
    {
        using var client = app.Client(await app.AdminTokenAsync());
        var scanId = await client.InitAsync();

        var body = await (await client.PostRawAsync("/api/scan/frames", json.Replace("SCAN", scanId))).Status(HttpStatusCode.BadRequest);

        Assert.Equal([reason], body.GetProperty("details").Reasons(field));
        Assert.Equal(0, (await client.StatusAsync(scanId)).GetProperty("frameCount").GetInt32());
    }

    [Theory]
    [InlineData("""{"scanId": """)]
    [InlineData("""{"scanId": "x", "frameNumber": NaN}""")]
    [InlineData("not json at all")]
    [InlineData("[1,2,3]")]
    public async Task Malformed_JSON_gets_a_400_in_the_documents_shape(string json)
    {
        using var client = app.Client(await app.AdminTokenAsync());
        var body = await (await client.PostRawAsync("/api/scan/frames", json)).Status(HttpStatusCode.BadRequest);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetString()));
        Assert.Equal(JsonValueKind.Object, body.GetProperty("details").ValueKind);
    }

    [Fact]
    public async Task A_missing_body_or_a_non_JSON_content_type_is_refused()
    {
        using var client = app.Client(await app.AdminTokenAsync());
        var empty = await (await client.PostAsync("/api/scan/frames", new StringContent("", System.Text.Encoding.UTF8, "application/json"))).Status(HttpStatusCode.BadRequest);
        Assert.Equal(["is required"], empty.GetProperty("details").Reasons("body"));
        var text = await (await client.PostAsync("/api/scan/frames", new StringContent("frameNumber=1"))).Status(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/json", text.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Frames_for_an_unknown_scan_are_404_and_a_missing_scanId_is_400()
    {
        using var client = app.Client(await app.AdminTokenAsync());
        var unknown = await (await client.FrameAsync(Guid.NewGuid().ToString(), 0)).Status(HttpStatusCode.NotFound);
        Assert.Equal("Scan not found", unknown.GetProperty("error").GetString());
        await (await client.FrameAsync("not-an-id", 0)).Status(HttpStatusCode.NotFound);
        var missing = await (await client.PostJsonAsync("/api/scan/frames", new { frameNumber = 0, userInFrame = true, confidence = 0.9 })).Status(HttpStatusCode.BadRequest);
        Assert.Equal(["is required"], missing.GetProperty("details").Reasons("scanId"));
    }

    [Fact]
    public async Task Another_organizations_scan_is_404_for_frames_status_listing_and_lifecycle()
    {
        var mine = await app.NewTenantAsync();
        var theirs = await app.NewTenantAsync();
        using var owner = mine.Admin();
        var scanId = await owner.InitAsync();
        await (await owner.FrameAsync(scanId, 0)).Status(HttpStatusCode.Created);
        using var other = theirs.Admin();

        await (await other.FrameAsync(scanId, 1)).Status(HttpStatusCode.NotFound);
        await (await other.GetAsync($"/api/scan/status?scanId={scanId}")).Status(HttpStatusCode.NotFound);
        await (await other.GetAsync($"/api/scan/frames?scanId={scanId}")).Status(HttpStatusCode.NotFound);
        await (await other.PostJsonAsync("/api/scan/lock", new { scanId })).Status(HttpStatusCode.NotFound);
        await (await other.PostJsonAsync("/api/scan/complete", new { scanId })).Status(HttpStatusCode.NotFound);
        await (await other.PostJsonAsync("/api/scan/frames/batch", new { scanId, frames = new[] { new { frameNumber = 5, userInFrame = true, confidence = 0.9 } } })).Status(HttpStatusCode.NotFound);

        var status = await owner.StatusAsync(scanId);
        Assert.Equal(1, status.GetProperty("frameCount").GetInt32());
        Assert.Equal("active", status.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_scan_of_a_project_takes_frames_from_its_members_and_is_hidden_from_others()
    {
        var tenant = await app.NewTenantAsync();
        var (operatorId, operatorToken) = await tenant.UserAsync("operator");
        var (reviewerId, reviewerToken) = await tenant.UserAsync("reviewer");
        var (_, outsiderToken) = await tenant.UserAsync("operator");
        using var admin = tenant.Admin();
        var key = await (await admin.PostJsonAsync("/platform/v1/api-keys", new { name = "rig", role = "operator" })).Status(HttpStatusCode.Created);
        var project = await (await admin.PostJsonAsync("/platform/v1/projects",
            new { name = "Fitting room", member_ids = new[] { operatorId, reviewerId, key.GetProperty("id").GetGuid() } })).Status(HttpStatusCode.Created);

        using var asOperator = app.Client(operatorToken);
        var init = await (await asOperator.PostJsonAsync("/api/scan/init", new { sessionId = "s", projectId = project.GetProperty("id").GetGuid() }))
            .Status(HttpStatusCode.Created);
        var scanId = init.GetProperty("scanId").GetString()!;
        using var asKey = app.Client(key.GetProperty("secret").GetString());
        await (await asKey.FrameAsync(scanId, 0)).Status(HttpStatusCode.Created);
        await (await asOperator.FrameAsync(scanId, 1)).Status(HttpStatusCode.Created);
        Assert.Equal(2, (await asKey.StatusAsync(scanId)).GetProperty("frameCount").GetInt32());

        // A reviewer member reads it but records nothing; an operator of the organization who is no member sees nothing.
        using var asReviewer = app.Client(reviewerToken);
        Assert.Equal(2, (await asReviewer.StatusAsync(scanId)).GetProperty("frameCount").GetInt32());
        await (await asReviewer.FrameAsync(scanId, 2)).Status(HttpStatusCode.Forbidden);
        using var asOutsider = app.Client(outsiderToken);
        await (await asOutsider.FrameAsync(scanId, 3)).Status(HttpStatusCode.NotFound);
        await (await asOutsider.PostJsonAsync("/api/scan/complete", new { scanId })).Status(HttpStatusCode.NotFound);
        await (await asOutsider.GetAsync($"/api/scan/status?scanId={scanId}")).Status(HttpStatusCode.NotFound);
        Assert.Equal(2, (await asOperator.StatusAsync(scanId)).GetProperty("frameCount").GetInt32());
    }

    [Fact]
    public async Task A_scan_without_project_or_site_is_its_creators_and_the_admins()
    {
        var tenant = await app.NewTenantAsync();
        var (_, firstToken) = await tenant.UserAsync("operator");
        var (_, secondToken) = await tenant.UserAsync("operator");
        using var first = app.Client(firstToken);
        var scanId = await first.InitAsync();
        await (await first.FrameAsync(scanId, 0)).Status(HttpStatusCode.Created);

        using var second = app.Client(secondToken);
        await (await second.GetAsync($"/api/scan/status?scanId={scanId}")).Status(HttpStatusCode.NotFound);
        await (await second.FrameAsync(scanId, 1)).Status(HttpStatusCode.NotFound);
        using var admin = tenant.Admin();
        Assert.Equal(1, (await admin.StatusAsync(scanId)).GetProperty("frameCount").GetInt32());
    }

    [Fact]
    public async Task Without_a_valid_token_every_endpoint_is_401_in_the_documents_shape()
    {
        using var anonymous = app.Client();
        using var forged = app.Client("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
        foreach (var client in new[] { anonymous, forged })
        {
            var init = await (await client.PostJsonAsync("/api/scan/init", new { sessionId = "s" })).Status(HttpStatusCode.Unauthorized);
            Assert.StartsWith("Authentication required", init.GetProperty("error").GetString());
            await (await client.FrameAsync(Guid.NewGuid().ToString(), 0)).Status(HttpStatusCode.Unauthorized);
            await (await client.GetAsync($"/api/scan/status?scanId={Guid.NewGuid()}")).Status(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task An_oversize_body_is_413_and_records_nothing()
    {
        using var client = app.Client(await app.AdminTokenAsync());
        var scanId = await client.InitAsync();
        var huge = $$"""{"scanId":"{{scanId}}","frameNumber":0,"userInFrame":true,"confidence":0.9,"pad":"{{new string('x', 2 * 1024 * 1024)}}"}""";

        // Expect: 100-continue, as large uploads send it: the server answers before the body goes out, so the
        // client reads the 413 instead of meeting a connection closed mid-send.
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/scan/frames")
        {
            Content = new StringContent(huge, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        var body = await (await client.SendAsync(request)).Status(HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal("Request body too large", body.GetProperty("error").GetString());
        Assert.Equal(0, (await client.StatusAsync(scanId)).GetProperty("frameCount").GetInt32());
    }
}
