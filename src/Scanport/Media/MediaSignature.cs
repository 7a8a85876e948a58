using System.Text;

namespace Scanport.Media;

/// <summary>What the first bytes of a file say it is. Only the first four video and three image kinds are accepted.</summary>
public enum MediaFormat
{
    Unknown,
    /// <summary>ISO base media (<c>ftyp</c> with a brand other than QuickTime's).</summary>
    Mp4,
    /// <summary>QuickTime: <c>ftyp qt</c>, or an old file that starts with a <c>moov</c>, <c>mdat</c>, <c>wide</c> or <c>free</c> atom.</summary>
    Mov,
    Avi,
    /// <summary>Matroska (WebM included: the same EBML container).</summary>
    Mkv,
    Jpeg,
    Png,
    Tiff,
    Gif,
    Wav,
    Mp3,
    /// <summary>A text file starting with <c>#EXTM3U</c>: an HLS playlist, which makes ffmpeg open the files it names.</summary>
    HlsPlaylist,
    /// <summary>A text file starting with <c>ffconcat version</c>: ffmpeg's concat script, which names other files.</summary>
    FfConcat,
}

/// <summary>
/// Recognises a file by its first <see cref="HeaderLength"/> bytes (never by its name), so that nothing but a container
/// Scanport accepts ever reaches ffprobe or ffmpeg: a playlist or concat script is refused before any program can follow
/// the paths written in it.
/// </summary>
public static class MediaSignature
{
    /// <summary>How many leading bytes <see cref="Identify"/> looks at (fewer are fine for a shorter file).</summary>
    public const int HeaderLength = 64;

    private static readonly string[] QuickTimeAtoms = ["moov", "mdat", "wide", "free", "skip", "pnot"];

    public static bool IsVideo(this MediaFormat format) => format is MediaFormat.Mp4 or MediaFormat.Mov or MediaFormat.Avi or MediaFormat.Mkv;

    public static bool IsFrameImage(this MediaFormat format) => format is MediaFormat.Jpeg or MediaFormat.Png or MediaFormat.Tiff;

    public static MediaFormat Identify(ReadOnlySpan<byte> header)
    {
        if (header.Length >= 12 && Ascii(header[4..8]) == "ftyp")
            return Ascii(header[8..12]) == "qt  " ? MediaFormat.Mov : MediaFormat.Mp4;
        if (header.Length >= 8 && QuickTimeAtoms.Contains(Ascii(header[4..8]))) return MediaFormat.Mov;
        if (header.Length >= 12 && Ascii(header[..4]) == "RIFF")
            return Ascii(header[8..12]) switch { "AVI " => MediaFormat.Avi, "WAVE" => MediaFormat.Wav, _ => MediaFormat.Unknown };
        if (header.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3])) return MediaFormat.Mkv;
        if (header.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return MediaFormat.Jpeg;
        if (header.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return MediaFormat.Png;
        if (header.StartsWith("II*\0"u8) || header.StartsWith("MM\0*"u8)) return MediaFormat.Tiff;
        if (header.StartsWith("GIF87a"u8) || header.StartsWith("GIF89a"u8)) return MediaFormat.Gif;
        if (header.StartsWith("ID3"u8) || (header.Length >= 2 && header[0] == 0xFF && (header[1] & 0xE0) == 0xE0)) return MediaFormat.Mp3;

        // Text: ffmpeg skips a byte-order mark and leading blanks when it recognises these, so must we.
        var text = header.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? header[3..] : header;
        var start = 0;
        while (start < text.Length && text[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') start++;
        text = text[start..];
        if (text.StartsWith("#EXTM3U"u8)) return MediaFormat.HlsPlaylist;
        if (text.StartsWith("ffconcat version"u8)) return MediaFormat.FfConcat;
        return MediaFormat.Unknown;
    }

    /// <summary>Reads the first bytes of the file at <paramref name="path"/> and identifies them.</summary>
    public static async Task<MediaFormat> IdentifyAsync(string path, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
        var header = new byte[HeaderLength];
        var length = await file.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, ct);
        return Identify(header.AsSpan(0, length));
    }

    /// <summary>Why a file of this format is not a video Scanport accepts, in words for the uploader.</summary>
    internal static string NotAVideo(MediaFormat format) => format switch
    {
        MediaFormat.HlsPlaylist => "HLS playlists are not accepted: upload the video file itself",
        MediaFormat.FfConcat => "ffconcat scripts are not accepted: upload the video file itself",
        MediaFormat.Jpeg or MediaFormat.Png or MediaFormat.Tiff => $"not a video: the file is a {format.ToString().ToUpperInvariant()} image (upload it as a frame)",
        MediaFormat.Gif => "not a video: GIF animations are not accepted (MP4, MOV, AVI or MKV)",
        MediaFormat.Wav or MediaFormat.Mp3 => $"no video stream: the file is {format.ToString().ToUpperInvariant()} audio",
        _ => "not a video: the content is not MP4, MOV, AVI or MKV (the content counts, not the file name)",
    };

    private static string Ascii(ReadOnlySpan<byte> bytes) => Encoding.ASCII.GetString(bytes);
}
