using Scanport.Media;

namespace Scanport.Tests.Media;

[Collection(VideoSamples.Collection)]
public class ImageProbeTests(VideoSamples samples)
{
    [Fact]
    public async Task Jpeg_png_and_tiff_are_accepted_as_frames_by_their_content()
    {
        var jpeg = await ImageProbe.ProbeAsync(VideoSamples.OrbitFrame, CancellationToken.None);
        var png = await ImageProbe.ProbeAsync(samples.Png, CancellationToken.None);
        var tiff = await ImageProbe.ProbeAsync(samples.Tiff, CancellationToken.None);

        Assert.Equal((MediaFormat.Jpeg, "image/jpeg"), (jpeg.Format!.Value, jpeg.ContentType));
        Assert.Equal((MediaFormat.Png, "image/png"), (png.Format!.Value, png.ContentType));
        Assert.Equal((MediaFormat.Tiff, "image/tiff"), (tiff.Format!.Value, tiff.ContentType));
        Assert.All(new[] { jpeg, png, tiff }, r => Assert.True(r.Accepted && r.Error is null));
    }

    [Fact]
    public void Big_endian_tiff_is_a_tiff_too()
    {
        Assert.Equal(MediaFormat.Tiff, ImageProbe.Probe("MM\0*\0\0\0\u0008"u8).Format);
    }

    [Fact]
    public async Task A_gif_a_video_or_random_bytes_are_not_frames()
    {
        var gif = await ImageProbe.ProbeAsync(samples.Gif, CancellationToken.None);
        var video = await ImageProbe.ProbeAsync(VideoSamples.Orbit, CancellationToken.None);
        var random = await ImageProbe.ProbeAsync(samples.RandomBytes, CancellationToken.None);

        Assert.Equal("GIF images are not accepted as frames (JPEG, PNG or TIFF)", gif.Error);
        Assert.Equal("not an image: the file is a video (MP4)", video.Error);
        Assert.Equal("not an image: the content is not JPEG, PNG or TIFF (the content counts, not the file name)", random.Error);
        Assert.All(new[] { gif, video, random }, r => Assert.Equal((false, null, null), (r.Accepted, r.Format, r.ContentType)));
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m' }, MediaFormat.Mp4)]
    [InlineData(new byte[] { 0, 0, 0, 0x14, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'q', (byte)'t', (byte)' ', (byte)' ' }, MediaFormat.Mov)]
    [InlineData(new byte[] { 0, 0, 0, 8, (byte)'w', (byte)'i', (byte)'d', (byte)'e' }, MediaFormat.Mov)]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'A', (byte)'V', (byte)'I', (byte)' ' }, MediaFormat.Avi)]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'W', (byte)'A', (byte)'V', (byte)'E' }, MediaFormat.Wav)]
    [InlineData(new byte[] { 0x1A, 0x45, 0xDF, 0xA3 }, MediaFormat.Mkv)]
    [InlineData(new byte[] { (byte)'f', (byte)'t', (byte)'y', (byte)'p' }, MediaFormat.Unknown)]
    [InlineData(new byte[] { }, MediaFormat.Unknown)]
    public void The_first_bytes_name_the_container(byte[] header, MediaFormat format)
    {
        Assert.Equal(format, MediaSignature.Identify(header));
    }
}
