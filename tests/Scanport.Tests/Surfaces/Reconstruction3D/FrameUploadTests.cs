using System.Net;
using Scanport.Tests.Media;

namespace Scanport.Tests.Surfaces.Reconstruction3D;

/// <summary>Photos uploaded as frames meet the platform's photo checks: the pixel limit from the header, and data that is whole.</summary>
[Collection(AppCollection.Name)]
public sealed class FrameUploadTests(ScanportApp app)
{
    private const string Base = ReconCalls.Base;

    [Fact]
    public async Task A_jpeg_whose_header_claims_60000_by_60000_pixels_is_refused_and_nothing_is_stored()
    {
        var (_, client) = await app.UserAsync();
        using var _1 = client;
        var id = await client.ProjectAsync();
        var bomb = MediaSamples.WithFrameSize(await File.ReadAllBytesAsync(MediaSamples.Small), 60000, 60000);

        var detail = await (await client.UploadBytesAsync(id, bomb, "huge.jpg")).DetailAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("The image cannot be used: The image is 60000x60000 (3600 megapixels); at most 100 megapixels are accepted.", detail);
        await AssertNoFramesAsync(client, id);
    }

    [Fact]
    public async Task A_truncated_jpeg_is_refused_and_nothing_is_stored()
    {
        var (_, client) = await app.UserAsync();
        using var _1 = client;
        var id = await client.ProjectAsync();
        var photo = await File.ReadAllBytesAsync(MediaSamples.Small);

        var detail = await (await client.UploadBytesAsync(id, photo[..(photo.Length * 6 / 10)], "cut.jpg")).DetailAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("The image cannot be used: The image data is truncated or corrupt (VipsJpeg: Premature end of input file).", detail);
        await AssertNoFramesAsync(client, id);
    }

    [Fact]
    public async Task Png_and_tiff_photos_are_still_frames()
    {
        var (_, client) = await app.UserAsync();
        using var _1 = client;
        var id = await client.ProjectAsync();
        var dir = Directory.CreateTempSubdirectory("scanport-frames-");
        try
        {
            foreach (var name in new[] { "frame.png", "frame.tif" })
            {
                var path = Path.Combine(dir.FullName, name);
                var (code, _, stderr) = await ExternalProgram.RunAsync("vips", ["copy", MediaSamples.Small, path]);
                Assert.True(code == 0, stderr);
                var body = await (await client.UploadAsync(id, path, name, "application/octet-stream")).Status(HttpStatusCode.OK);
                Assert.EndsWith(Path.GetExtension(name), body.GetProperty("file_path").GetString());
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
        var project = await (await client.GetAsync($"{Base}/projects/{id}")).Status(HttpStatusCode.OK);
        Assert.Equal(2, project.GetProperty("total_frames").GetInt32());
    }

    private static async Task AssertNoFramesAsync(HttpClient client, long id)
    {
        var files = await (await client.GetAsync($"{Base}/files/list/{id}")).Status(HttpStatusCode.OK);
        Assert.Empty(files.GetProperty("files").EnumerateArray());
        Assert.Equal(0, files.GetProperty("total_frames").GetInt32());
    }
}
