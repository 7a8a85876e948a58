using Scanport.Media;

namespace Scanport.Tests.Media;

[Collection(VideoSamples.Collection)]
public class VideoProbeTests(VideoSamples samples)
{
    private static async Task<VideoInfo> Accepted(string path)
    {
        var result = await ModuleServices.Get<VideoProbe>().ProbeAsync(path, CancellationToken.None);
        Assert.True(result.Accepted, result.Error);
        Assert.Null(result.Error);
        Assert.Null(result.Rejection);
        return result.Video!;
    }

    private static async Task<VideoProbeResult> Refused(string path, VideoRejection rejection)
    {
        var result = await ModuleServices.Get<VideoProbe>().ProbeAsync(path, CancellationToken.None);
        Assert.Null(result.Video);
        Assert.False(result.Accepted);
        Assert.Equal(rejection, result.Rejection);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
        return result;
    }

    [Fact]
    public async Task The_scene_video_is_an_mp4_of_3_seconds_at_640x480()
    {
        var video = await Accepted(VideoSamples.Orbit);

        Assert.Equal(new VideoInfo("mp4", "h264", 640, 480, 3.0, 10.0, 30), video);
    }

    [Fact]
    public async Task The_same_video_in_mkv_mov_and_avi_is_accepted_with_its_container_named()
    {
        var mkv = await Accepted(samples.Mkv);
        var mov = await Accepted(samples.Mov);
        var avi = await Accepted(samples.Avi);

        Assert.Equal(("mkv", "h264", 640, 480, 30L), (mkv.Container, mkv.Codec, mkv.Width, mkv.Height, mkv.FrameCount));
        Assert.Equal(("mov", "h264", 640, 480, 30L), (mov.Container, mov.Codec, mov.Width, mov.Height, mov.FrameCount));
        Assert.Equal(("avi", "mpeg4", 640, 480, 30L), (avi.Container, avi.Codec, avi.Width, avi.Height, avi.FrameCount));
        foreach (var video in new[] { mkv, mov, avi })
        {
            Assert.Equal(3.0, video.DurationSeconds, 0.05);
            Assert.Equal(10.0, video.FrameRate, 0.01);
        }
    }

    [Fact]
    public async Task Random_bytes_named_mp4_are_not_a_video()
    {
        var result = await Refused(samples.RandomBytes, VideoRejection.UnsupportedFormat);

        Assert.Equal("not a video: the content is not MP4, MOV, AVI or MKV (the content counts, not the file name)", result.Error);
    }

    [Fact]
    public async Task An_mp4_cut_before_its_index_cannot_be_read()
    {
        var result = await Refused(samples.Truncated, VideoRejection.Corrupt);

        Assert.Equal("not a video: ffprobe could not read it (Invalid data found when processing input)", result.Error);
    }

    [Fact]
    public async Task An_mp4_whose_index_lists_frames_that_are_not_there_is_truncated()
    {
        var result = await Refused(samples.TruncatedFaststart, VideoRejection.Corrupt);

        Assert.Equal("the video is truncated or damaged: 9 of its 30 frames are there", result.Error);
    }

    [Fact]
    public async Task A_jpeg_named_mp4_is_an_image_not_a_video()
    {
        var result = await Refused(samples.JpegNamedMp4, VideoRejection.UnsupportedFormat);

        Assert.Equal("not a video: the file is a JPEG image (upload it as a frame)", result.Error);
    }

    [Fact]
    public async Task An_animated_gif_is_not_an_accepted_video()
    {
        var result = await Refused(samples.Gif, VideoRejection.UnsupportedFormat);

        Assert.Equal("not a video: GIF animations are not accepted (MP4, MOV, AVI or MKV)", result.Error);
    }

    [Fact]
    public async Task Audio_alone_has_no_video_stream()
    {
        var wav = await Refused(samples.Wav, VideoRejection.NoVideo);
        var mp3 = await Refused(samples.Mp3, VideoRejection.NoVideo);
        // An MP4 container passes the signature check: ffprobe itself finds no video stream in it.
        var m4a = await Refused(samples.AudioOnlyMp4, VideoRejection.NoVideo);

        Assert.Equal("no video stream: the file is WAV audio", wav.Error);
        Assert.Equal("no video stream: the file is MP3 audio", mp3.Error);
        Assert.Equal("no video stream", m4a.Error);
    }

    [Fact]
    public async Task A_video_stream_no_decoder_knows_is_refused()
    {
        var result = await Refused(samples.UndecodableAvi, VideoRejection.NoVideo);

        Assert.Equal("no video stream that can be decoded (codec ZZZZ)", result.Error);
    }

    [Fact]
    public async Task An_empty_file_is_refused()
    {
        var result = await Refused(samples.Empty, VideoRejection.UnsupportedFormat);

        Assert.Equal("not a video: the file is empty", result.Error);
    }

    [Fact]
    public async Task A_missing_file_is_the_callers_mistake()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() => ModuleServices.Get<VideoProbe>().ProbeAsync(samples.At("missing.mp4"), CancellationToken.None));
    }

    [Fact]
    public void Ffprobe_is_held_to_local_files_and_to_the_containers_own_demuxer()
    {
        var arguments = VideoProbe.Arguments("/data/upload.mp4", MediaFormat.Mp4);

        Assert.Equal(
            ["-v", "quiet", "-show_error", "-protocol_whitelist", "file", "-f", "mov", "-count_packets", "-select_streams", "V",
             "-show_format", "-show_streams", "-of", "json", "file:/data/upload.mp4"],
            arguments);
        Assert.Equal("avi", VideoProbe.Demuxer(MediaFormat.Avi));
        Assert.Equal("matroska", VideoProbe.Demuxer(MediaFormat.Mkv));
    }

    [Theory]
    [InlineData("""{"format":{"format_name":"hls","duration":"3.0"},"streams":[]}""", VideoRejection.UnsupportedFormat, "not a video: ffprobe read it as hls")]
    [InlineData("""{"format":{"format_name":"mov,mp4,m4a,3gp,3g2,mj2","duration":"0.000"},"streams":[{"codec_name":"h264","pix_fmt":"yuv420p","width":640,"height":480}]}""", VideoRejection.NoVideo, "the video has no duration")]
    [InlineData("""{"format":{"format_name":"mov,mp4,m4a,3gp,3g2,mj2","duration":"3.0"},"streams":[{"codec_name":"h264","pix_fmt":"yuv420p","width":0,"height":0}]}""", VideoRejection.NoVideo, "the video stream has no picture size")]
    [InlineData("not json", VideoRejection.Corrupt, "not a video: ffprobe could not read it")]
    public void Ffprobe_output_that_does_not_describe_a_usable_video_is_refused(string json, VideoRejection rejection, string error)
    {
        var result = VideoProbe.Interpret(MediaFormat.Mp4, 0, json);

        Assert.Equal((rejection, error), (result.Rejection!.Value, result.Error));
    }
}
