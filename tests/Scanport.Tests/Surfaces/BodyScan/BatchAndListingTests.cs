using System.Net;

namespace Scanport.Tests.Surfaces.BodyScan;

[Collection(AppCollection.Name)]
public sealed class BatchAndListingTests(ScanportApp app)
{
    private static object[] Frames(int from, int count) =>
        Enumerable.Range(from, count).Select(i => (object)new { frameNumber = i, userInFrame = i % 4 != 0, confidence = 0.8, stabilityScore = 0.5 }).ToArray();

    [Fact]
    public async Task A_batch_records_all_its_frames_and_reports_duplicates()
    {
        using var client = app.Client(await app.AdminTokenAsync());
        var scanId = await client.InitAsync();
        await (await client.FrameAsync(scanId, 2)).Status(HttpStatusCode.Created);

        var body = await (await client.PostJsonAsync("/api/scan/frames/batch", new { scanId, frames = Frames(0, 10) })).Status(HttpStatusCode.Created);

        Assert.Equal(9, body.GetProperty("recorded").GetInt32());
        Assert.Equal(1, body.GetProperty("duplicates").GetInt32());
        Assert.Equal(10, body.GetProperty("frames").GetArrayLength());
        Assert.Equal("Frame 2 was already recorded", body.GetProperty("frames")[2].GetProperty("message").GetString());
        var status = await client.StatusAsync(scanId);
        Assert.Equal(10, status.GetProperty("frameCount").GetInt32());
        Assert.Equal(9, status.GetProperty("latestFrame").GetProperty("frameNumber").GetInt32());
    }

    [Fact]
    public async Task A_batch_with_one_bad_frame_records_nothing()
    {
        using var client = app.Client(await app.AdminTokenAsync());
        var scanId = await client.InitAsync();
        var frames = Frames(0, 5).Append(new { frameNumber = 5, userInFrame = true, confidence = 3.0 }).ToArray();

        var body = await (await client.PostJsonAsync("/api/scan/frames/batch", new { scanId, frames })).Status(HttpStatusCode.BadRequest);

        Assert.Contains("between 0.0 and 1.0", body.GetProperty("details").Reasons("frames[5].confidence")[0]);
        Assert.Equal(0, (await client.StatusAsync(scanId)).GetProperty("frameCount").GetInt32());
    }

    [Fact]
    public async Task Oversize_and_empty_batches_are_refused()
    {
        using var client = app.Client(await app.AdminTokenAsync());
        var scanId = await client.InitAsync();
        var tooMany = await (await client.PostJsonAsync("/api/scan/frames/batch", new { scanId, frames = Frames(0, 1001) })).Status(HttpStatusCode.BadRequest);
        Assert.Equal(["at most 1000 frames per batch"], tooMany.GetProperty("details").Reasons("frames"));
        await (await client.PostJsonAsync("/api/scan/frames/batch", new { scanId, frames = Array.Empty<object>() })).Status(HttpStatusCode.BadRequest);
        await (await client.PostRawAsync("/api/scan/frames/batch", $$"""{"scanId":"{{scanId}}","frames":[null]}""")).Status(HttpStatusCode.BadRequest);
        var wrongType = await (await client.PostRawAsync("/api/scan/frames/batch", $$"""{"scanId":"{{scanId}}","frames":[{"frameNumber":"a"}]}""")).Status(HttpStatusCode.BadRequest);
        Assert.Equal(["must be an integer"], wrongType.GetProperty("details").Reasons("frames[0].frameNumber"));
        Assert.Equal(0, (await client.StatusAsync(scanId)).GetProperty("frameCount").GetInt32());
    }

    [Fact]
    public async Task Frames_are_listed_in_order_a_page_at_a_time()
    {
        using var client = app.Client(await app.AdminTokenAsync());
        var scanId = await client.InitAsync();
        await (await client.PostJsonAsync("/api/scan/frames/batch", new { scanId, frames = Frames(0, 25) })).Status(HttpStatusCode.Created);

        var seen = new List<int>();
        int? after = null;
        do
        {
            var page = await (await client.GetAsync($"/api/scan/frames?scanId={scanId}&limit=10{(after is null ? "" : $"&after={after}")}")).Status(HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("frameNumber").GetInt32()));
            after = page.GetProperty("nextAfter").ValueKind == System.Text.Json.JsonValueKind.Null ? null : page.GetProperty("nextAfter").GetInt32();
        } while (after is not null);

        Assert.Equal(Enumerable.Range(0, 25), seen);
        await (await client.GetAsync($"/api/scan/frames?scanId={scanId}&limit=0")).Status(HttpStatusCode.BadRequest);
        await (await client.GetAsync($"/api/scan/frames?scanId={scanId}&limit=5000")).Status(HttpStatusCode.BadRequest);
        var wrongType = await (await client.GetAsync($"/api/scan/frames?scanId={scanId}&limit=ten")).Status(HttpStatusCode.BadRequest);
        Assert.Equal(System.Text.Json.JsonValueKind.Object, wrongType.GetProperty("details").ValueKind);
    }
}
