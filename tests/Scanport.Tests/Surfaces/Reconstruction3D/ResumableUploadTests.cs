using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Data;
using Scanport.Storage;
using Scanport.Surfaces.Reconstruction3D;
using static Scanport.Tests.Surfaces.Reconstruction3D.ReconCalls;

namespace Scanport.Tests.Surfaces.Reconstruction3D;

/// <summary>
/// The resumable uploads (tus 1.0.0 over <c>/files/uploads</c>) over real HTTP, as a tus client sends them: a large video
/// in parts, a connection cut mid-part and resumed from the offset the server tells, and every refusal in the surface's
/// own error shape. The console's browser test drives the same routes with tus-js-client.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ResumableUploadTests(ScanportApp app)
{
    private const long Part = 8L * 1024 * 1024;

    [Fact]
    public async Task A_video_sent_in_parts_survives_a_cut_connection_resumes_from_the_servers_offset_and_becomes_the_projects_video()
    {
        var (_, client) = await app.UserAsync();
        using var _1 = client;
        var id = await client.ProjectAsync();
        var path = await NoiseVideoAsync();
        try
        {
            var bytes = await File.ReadAllBytesAsync(path);
            Assert.True(bytes.Length > 2 * Part, $"{bytes.Length} bytes: the test needs three parts");

            using var options = await client.SendAsync(new HttpRequestMessage(HttpMethod.Options, $"{Base}/files/uploads"));
            Assert.Equal(HttpStatusCode.NoContent, options.StatusCode);
            Assert.Equal("1.0.0", Header(options, "Tus-Version"));
            Assert.Equal("creation,expiration,termination", Header(options, "Tus-Extension"));
            Assert.Equal(500L * 1024 * 1024, long.Parse(Header(options, "Tus-Max-Size")!, CultureInfo.InvariantCulture));
            Assert.Equal(Part, long.Parse(Header(options, ResumableUploads.PartSizeHeader)!, CultureInfo.InvariantCulture));

            var location = await StartAsync(client, id, bytes.Length, "orbit take 2.mp4");
            Assert.Matches($"^{Base}/files/uploads/[0-9a-f]{{32}}$", location);
            Assert.Equal(0, await OffsetAsync(client, location));

            using (var first = await PatchAsync(client, location, 0, bytes.AsMemory(0, (int)Part)))
            {
                Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
                Assert.Equal(Part.ToString(CultureInfo.InvariantCulture), Header(first, "Upload-Offset"));
                Assert.Equal("1.0.0", Header(first, "Tus-Resumable"));
                Assert.True(DateTimeOffset.Parse(Header(first, "Upload-Expires")!, CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddHours(23));
            }

            // The connection breaks three quarters into the second part: that part is dropped, the first one kept.
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => SendBrokenPatchAsync(client, location, Part, bytes.AsMemory((int)Part, (int)Part), cutAfter: (int)(Part * 3 / 4)));
            Assert.Equal(Part, await WaitForOffsetAsync(client, location, Part));

            // A client that lost track and sends from 0 again is told where the upload is.
            using (var stale = await PatchAsync(client, location, 0, bytes.AsMemory(0, (int)Part)))
                Assert.Contains($"has {Part} bytes stored", await stale.DetailAsync(HttpStatusCode.Conflict));

            // The rest in one body, two parts' worth: both are stored.
            using (var rest = await PatchAsync(client, location, Part, bytes.AsMemory((int)Part)))
            {
                Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);
                Assert.Equal(bytes.Length.ToString(CultureInfo.InvariantCulture), Header(rest, "Upload-Offset"));
            }

            var done = await (await client.PostAsync($"{location}/complete", null)).Status(HttpStatusCode.OK);
            Assert.Equal("Video uploaded successfully", done.GetProperty("message").GetString());
            Assert.Equal(bytes.Length, done.GetProperty("file_size").GetInt64());
            Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await client.GetByteArrayAsync($"{Base}/files/download/{id}/video")));
            var listing = await (await client.GetAsync($"{Base}/files/list/{id}")).Status(HttpStatusCode.OK);
            Assert.Equal(["video"], listing.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("file_type").GetString()));
            Assert.Equal("orbit take 2.mp4", await VideoNameAsync(id));

            // Handed over: the upload is gone, and with it the object its parts made.
            using var after = await Send(client, HttpMethod.Head, location);
            Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
            var project = await ProjectGuidAsync(id);
            Assert.False(await Db(db => db.Set<ReconUpload>().AnyAsync(u => u.ProjectId == project)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_photo_sent_resumably_becomes_a_frame()
    {
        var (_, client) = await app.UserAsync();
        using var _1 = client;
        var id = await client.ProjectAsync();
        var photo = await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Shared, "data", "scenes", "orbit-30", "frame_003.jpg"));
        var location = await StartAsync(client, id, photo.Length, "frame_003.jpg");
        using (var patch = await PatchAsync(client, location, 0, photo))
            Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        var done = await (await client.PostAsync($"{location}/complete", null)).Status(HttpStatusCode.OK);
        Assert.Equal("Image uploaded successfully", done.GetProperty("message").GetString());
        var project = await (await client.GetAsync($"{Base}/projects/{id}")).Status(HttpStatusCode.OK);
        Assert.Equal(1, project.GetProperty("total_frames").GetInt32());
    }

    [Fact]
    public async Task Requests_outside_the_protocol_are_refused_in_the_surfaces_shape_and_store_nothing()
    {
        var (_, client) = await app.UserAsync();
        using var _1 = client;
        var id = await client.ProjectAsync();

        using (var noVersion = new HttpRequestMessage(HttpMethod.Post, $"{Base}/files/uploads"))
        {
            noVersion.Headers.Add("Upload-Length", "10");
            using var response = await client.SendAsync(noVersion);
            Assert.Contains("Tus-Resumable: 1.0.0", await response.DetailAsync(HttpStatusCode.PreconditionFailed));
            Assert.Equal("1.0.0", Header(response, "Tus-Version"));
        }
        Assert.Contains("Upload-Length", await (await Create(client, null, Meta(id, "a.mp4"))).DetailAsync(HttpStatusCode.BadRequest));
        Assert.Contains("Upload-Length", await (await Create(client, "-5", Meta(id, "a.mp4"))).DetailAsync(HttpStatusCode.BadRequest));
        Assert.Equal("The file is empty", await (await Create(client, "0", Meta(id, "a.mp4"))).DetailAsync(HttpStatusCode.BadRequest));
        Assert.Contains("File too large", await (await Create(client, $"{501L * 1024 * 1024}", Meta(id, "a.mp4"))).DetailAsync(HttpStatusCode.RequestEntityTooLarge));
        Assert.Contains("Upload-Metadata", await (await Create(client, "10", "project_id !!!notbase64")).DetailAsync(HttpStatusCode.BadRequest));
        Assert.Contains("project_id", await (await Create(client, "10", $"filename {B64("a.mp4")}")).DetailAsync(HttpStatusCode.BadRequest));
        Assert.Contains("project_id", await (await Create(client, "10", $"project_id {B64("seven")}")).DetailAsync(HttpStatusCode.BadRequest));
        Assert.Equal("Project not found", await (await Create(client, "10", Meta(987_654_321, "a.mp4"))).DetailAsync(HttpStatusCode.NotFound));
        using (var deferred = new HttpRequestMessage(HttpMethod.Post, $"{Base}/files/uploads"))
        {
            deferred.Headers.Add("Tus-Resumable", "1.0.0");
            deferred.Headers.Add("Upload-Defer-Length", "1");
            deferred.Headers.Add("Upload-Metadata", Meta(id, "a.mp4"));
            Assert.Contains("Upload-Length", await (await client.SendAsync(deferred)).DetailAsync(HttpStatusCode.BadRequest));
        }

        // Another user's project and another user's upload are not there for this user.
        var (_, stranger) = await app.UserAsync();
        using var _2 = stranger;
        Assert.Equal("Project not found", await (await Create(stranger, "10", Meta(id, "a.mp4"))).DetailAsync(HttpStatusCode.NotFound));
        var location = await StartAsync(client, id, Part + 10, "b.mp4");
        using (var head = await Send(stranger, HttpMethod.Head, location)) Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Contains("Upload not found", await (await PatchAsync(stranger, location, 0, new byte[10])).DetailAsync(HttpStatusCode.NotFound));
        Assert.Contains("Upload not found", await (await stranger.PostAsync($"{location}/complete", null)).DetailAsync(HttpStatusCode.NotFound));
        Assert.Contains("Upload not found", await (await Send(stranger, HttpMethod.Delete, location)).DetailAsync(HttpStatusCode.NotFound));
        Assert.Contains("Upload not found", await (await PatchAsync(client, $"{Base}/files/uploads/not-an-id", 0, new byte[10])).DetailAsync(HttpStatusCode.NotFound));
        Assert.Contains("Upload not found", await (await PatchAsync(client, $"{Base}/files/uploads/{Guid.NewGuid():N}", 0, new byte[10])).DetailAsync(HttpStatusCode.NotFound));

        // Bodies that are not whole parts from the offset, or are not sent as tus says.
        using (var wrongType = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(new byte[10]) })
        {
            wrongType.Headers.Add("Tus-Resumable", "1.0.0");
            wrongType.Headers.Add("Upload-Offset", "0");
            wrongType.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            Assert.Contains("application/offset+octet-stream", await (await client.SendAsync(wrongType)).DetailAsync(HttpStatusCode.UnsupportedMediaType));
        }
        Assert.Contains("Upload-Offset", await (await PatchAsync(client, location, null, new byte[10])).DetailAsync(HttpStatusCode.BadRequest));
        Assert.Contains("whole parts", await (await PatchAsync(client, location, 0, new byte[1000])).DetailAsync(HttpStatusCode.BadRequest));
        Assert.Contains("runs past", await (await PatchAsync(client, location, 0, new byte[Part + 11])).DetailAsync(HttpStatusCode.BadRequest));
        Assert.Contains("send the rest first", await (await client.PostAsync($"{location}/complete", null)).DetailAsync(HttpStatusCode.Conflict));
        Assert.Equal(0, await OffsetAsync(client, location));

        // Random bytes are no video: refused as the one-request upload refuses them, and the upload is dropped with them.
        using (var patch = await PatchAsync(client, location, 0, RandomNumberGenerator.GetBytes((int)Part + 10)))
            Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        Assert.StartsWith("Unsupported file format", await (await client.PostAsync($"{location}/complete", null)).DetailAsync(HttpStatusCode.BadRequest));
        using (var gone = await Send(client, HttpMethod.Head, location)) Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var files = await (await client.GetAsync($"{Base}/files/list/{id}")).Status(HttpStatusCode.OK);
        Assert.Empty(files.GetProperty("files").EnumerateArray());
    }

    [Fact]
    public async Task An_upload_can_be_dropped_and_one_left_unfinished_expires_with_its_parts()
    {
        var (_, client) = await app.UserAsync();
        using var _1 = client;
        var id = await client.ProjectAsync();

        var dropped = await StartAsync(client, id, Part + 1, "dropped.mp4");
        using (var patch = await PatchAsync(client, dropped, 0, new byte[Part])) Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        using (var delete = await Send(client, HttpMethod.Delete, dropped))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
            Assert.Equal("1.0.0", Header(delete, "Tus-Resumable"));
        }
        using (var head = await Send(client, HttpMethod.Head, dropped)) Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);

        var left = await StartAsync(client, id, Part + 1, "left.mp4");
        using (var patch = await PatchAsync(client, left, 0, new byte[Part])) Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        var project = await ProjectGuidAsync(id);
        var upload = await Db(db => db.Set<ReconUpload>().SingleAsync(u => u.FileName == "left.mp4" && u.ProjectId == project));
        await Db(db => db.Set<ReconUpload>().Where(u => u.Id == upload.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));
        Assert.Contains("expired", await (await PatchAsync(client, left, Part, new byte[1])).DetailAsync(HttpStatusCode.Gone));

        Assert.True(await app.Services.GetRequiredService<ReconUploadPruning>().PruneAsync(CancellationToken.None) >= 1);
        Assert.False(await Db(db => db.Set<ReconUpload>().AnyAsync(u => u.Id == upload.Id)));
        await using var scope = app.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IObjectStore>();
        Assert.Null(await store.ListUploadedPartsAsync("scanport", upload.StoreKey, upload.StoreUploadId, CancellationToken.None));
    }

    [Fact]
    public async Task Deleting_the_project_drops_its_unfinished_uploads_and_their_parts()
    {
        var (_, client) = await app.UserAsync();
        using var _1 = client;
        var id = await client.ProjectAsync();
        var location = await StartAsync(client, id, Part + 1, "doomed.mp4");
        using (var patch = await PatchAsync(client, location, 0, new byte[Part])) Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        var project = await ProjectGuidAsync(id);
        var upload = await Db(db => db.Set<ReconUpload>().SingleAsync(u => u.ProjectId == project));

        await (await client.DeleteAsync($"{Base}/projects/{id}")).Status(HttpStatusCode.OK);

        Assert.False(await Db(db => db.Set<ReconUpload>().AnyAsync(u => u.Id == upload.Id)));
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<IObjectStore>()
            .ListUploadedPartsAsync("scanport", upload.StoreKey, upload.StoreUploadId, CancellationToken.None));
    }

    [Fact]
    public void Parts_grow_past_the_configured_size_only_when_S3s_10000_would_not_hold_the_file()
    {
        Assert.Equal(Part, ResumableUploads.PartSizeFor(500L * 1024 * 1024, Part));
        Assert.Equal(Part, ResumableUploads.PartSizeFor(10_000 * Part, Part));
        Assert.Equal(Part + 1, ResumableUploads.PartSizeFor(10_000 * Part + 1, Part));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("filename Zm9vLm1wNA==,project_id MTI=", 2)]
    [InlineData("is_confidential,filename Zm9vLm1wNA==", 2)]
    [InlineData("filename Zm9vLm1wNA==,filename YmFy", -1)]
    [InlineData("filename not*base64", -1)]
    [InlineData("filename Zm9v YmFy", -1)]
    [InlineData(" , ", -1)]
    [InlineData("filename /w==", -1)]
    public void Upload_metadata_is_read_as_tus_writes_it(string header, int pairs)
    {
        var parsed = Tus.ParseMetadata(header);
        Assert.Equal(pairs, parsed?.Count ?? -1);
        if (pairs == 2 && header.StartsWith("filename", StringComparison.Ordinal)) Assert.Equal(("foo.mp4", "12"), (parsed!["filename"], parsed["project_id"]));
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Meta(long projectId, string fileName) => $"project_id {B64(projectId.ToString(CultureInfo.InvariantCulture))},filename {B64(fileName)}";

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single()
        : response.Content.Headers.TryGetValues(name, out var content) ? content.Single() : null;

    private static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> Create(HttpClient client, string? length, string metadata)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{Base}/files/uploads");
        request.Headers.Add("Tus-Resumable", "1.0.0");
        if (length is not null) request.Headers.Add("Upload-Length", length);
        request.Headers.Add("Upload-Metadata", metadata);
        return await client.SendAsync(request);
    }

    private static async Task<string> StartAsync(HttpClient client, long projectId, long length, string fileName)
    {
        using var response = await Create(client, length.ToString(CultureInfo.InvariantCulture), Meta(projectId, fileName));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        Assert.Equal("0", Header(response, "Upload-Offset"));
        return response.Headers.Location!.OriginalString;
    }

    private static async Task<long> OffsetAsync(HttpClient client, string location)
    {
        using var response = await Send(client, HttpMethod.Head, location);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return long.Parse(Header(response, "Upload-Offset")!, CultureInfo.InvariantCulture);
    }

    /// <summary>The server learns of a cut connection a moment after the client: the offset it tells settles then.</summary>
    private static async Task<long> WaitForOffsetAsync(HttpClient client, string location, long expected)
    {
        var offset = await OffsetAsync(client, location);
        for (var i = 0; i < 50 && offset != expected; i++)
        {
            await Task.Delay(100);
            offset = await OffsetAsync(client, location);
        }
        return offset;
    }

    private static async Task<HttpResponseMessage> PatchAsync(HttpClient client, string location, long? offset, ReadOnlyMemory<byte> body)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ReadOnlyMemoryContent(body) };
        request.Headers.Add("Tus-Resumable", "1.0.0");
        if (offset is { } o) request.Headers.Add("Upload-Offset", o.ToString(CultureInfo.InvariantCulture));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(Tus.ChunkContentType);
        return await client.SendAsync(request);
    }

    /// <summary>A PATCH whose body stops after <paramref name="cutAfter"/> bytes, as a connection that drops does.</summary>
    private static async Task SendBrokenPatchAsync(HttpClient client, string location, long offset, ReadOnlyMemory<byte> body, int cutAfter)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new StreamContent(new BreakingStream(body[..cutAfter].ToArray())) };
        request.Headers.Add("Tus-Resumable", "1.0.0");
        request.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(Tus.ChunkContentType);
        request.Content.Headers.ContentLength = body.Length;
        using var response = await client.SendAsync(request);
    }

    private async Task<string?> VideoNameAsync(long number)
    {
        var project = await ProjectGuidAsync(number);
        return await Db(db => db.Set<ReconProject>().Where(r => r.ProjectId == project).Select(r => r.VideoFileName).SingleAsync());
    }

    private Task<Guid> ProjectGuidAsync(long number) => Db(db => db.Set<Scanport.Projects.Project>().Where(p => p.Number == number).Select(p => p.Id).SingleAsync());

    private async Task<T> Db<T>(Func<ScanportDb, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ScanportDb>());
    }

    /// <summary>Gives its bytes, then fails the read as a dropped connection does.</summary>
    private sealed class BreakingStream(byte[] data) : MemoryStream(data)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            return read > 0 ? read : throw new IOException("the connection dropped");
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = base.Read(buffer, offset, count);
            return read > 0 ? read : throw new IOException("the connection dropped");
        }
    }
}
