using System.Buffers.Binary;

namespace Scanport.Tests.Media;

/// <summary>
/// Test photos, made once per run from the rendered scene frames in ../shared/data/scenes with independent tools
/// (./test installs them): libvips' CLI to compose, blur and convert, exiftool to write EXIF, heif-enc (libheif with
/// x265) to encode HEIC and AVIF. Nothing binary is committed; generation takes a few seconds.
/// </summary>
public sealed class MediaSamples : IAsyncLifetime
{
    public const string Collection = "Media";

    private readonly string dir = Path.Combine(Path.GetTempPath(), $"scanport-media-{Guid.NewGuid():N}");

    /// <summary>1920x1440 stored, EXIF Orientation 6 (shown 1440x1920), ISO 200, 1/250, f/1.8, 2025-01-15 11:01:00 +01:00.</summary>
    public string Photo => At("photo.jpg");
    /// <summary>The same pixels without EXIF, stored upright as landscape.</summary>
    public string Untagged => At("untagged.jpg");
    /// <summary>The same pixels rotated 90° clockwise by libvips' CLI: what <see cref="Photo"/> looks like shown upright.</summary>
    public string RotatedClockwise => At("rotated-cw.jpg");
    /// <summary><see cref="Untagged"/> blurred with a Gaussian of sigma 3 px at full resolution.</summary>
    public string Blurred => At("blurred.jpg");
    public string Dark => At("dark.jpg");
    public string BlownOut => At("blown-out.jpg");
    /// <summary>HEIC (HEVC), 960x1280 portrait pixels; its EXIF says Orientation 6 (which HEIF readers must ignore), ISO 400, 1/60, f/2.2, 2025-01-15 10:01:00 -05:00.</summary>
    public string Heic => At("portrait.heic");
    /// <summary>A 640x480 frame, smaller than the largest thumbnail.</summary>
    public static string Small => Path.Combine(RepoPaths.Shared, "data", "scenes", "orbit-30", "frame_000.jpg");
    public string Avif => At("tiny.avif");
    public string PngNamedJpg => At("png.jpg");
    public string GifNamedJpg => At("gif.jpg");
    public string RandomBytes => At("random.jpg");
    public string TruncatedJpeg => At("truncated.jpg");
    public string TruncatedHeic => At("truncated.heic");
    /// <summary>A 640x480 JPEG whose frame header claims 30000x30000 (900 megapixels).</summary>
    public string Bomb => At("bomb.jpg");

    private string At(string name) => Path.Combine(dir, name);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(dir);
        var frames = Path.Combine(RepoPaths.Shared, "data", "scenes", "orbit-30");
        var nine = string.Join(' ', Enumerable.Range(0, 9).Select(i => Path.Combine(frames, $"frame_{i * 3:000}.jpg")));

        // Nine frames at native resolution: detail everywhere, as in a sharp photo.
        await Run("vips", "arrayjoin", nine, Untagged + "[Q=92]", "--across", "3");
        File.Copy(Untagged, Photo);
        await Run("exiftool", "-q", "-overwrite_original", "-ISO=200", "-ExposureTime=1/250", "-FNumber=1.8",
            "-DateTimeOriginal=2025:01:15 11:01:00", "-OffsetTimeOriginal=+01:00", "-Orientation#=6", Photo);
        await Run("vips", "rot", Untagged, RotatedClockwise + "[Q=92]", "d90");
        await Run("vips", "gaussblur", Untagged, Blurred + "[Q=92]", "3");
        await Run("vips", "linear", Untagged, Dark + "[Q=92]", "0.03", "0", "--uchar");
        await Run("vips", "linear", Untagged, BlownOut + "[Q=92]", "4", "0", "--uchar");

        // HEIC from a portrait JPEG; heif-enc copies the JPEG's EXIF (Orientation 6 included) into the HEIC.
        var heicSource = At("heic-source.jpg");
        await Run("vips", "crop", Untagged, At("heic-crop.v"), "0", "0", "1280", "960");
        await Run("vips", "rot", At("heic-crop.v"), heicSource + "[Q=95]", "d90");
        await Run("exiftool", "-q", "-overwrite_original", "-ISO=400", "-ExposureTime=1/60", "-FNumber=2.2",
            "-DateTimeOriginal=2025:01:15 10:01:00", "-OffsetTimeOriginal=-05:00", "-Orientation#=6", heicSource);
        await Run("heif-enc", "-q", "70", "-o", Heic, heicSource);

        await Run("vips", "crop", Small, At("crop64.jpg"), "0", "0", "64", "64");
        await Run("heif-enc", "-A", "-q", "50", "-o", Avif, At("crop64.jpg"));
        await Run("vips", "copy", Small, At("small.png"));
        File.Move(At("small.png"), PngNamedJpg);
        await Run("vips", "copy", Small, At("small.gif"));
        File.Move(At("small.gif"), GifNamedJpg);

        var random = new byte[64 * 1024];
        new Random(42).NextBytes(random);
        await File.WriteAllBytesAsync(RandomBytes, random);
        var photo = await File.ReadAllBytesAsync(Untagged);
        await File.WriteAllBytesAsync(TruncatedJpeg, photo[..(photo.Length * 6 / 10)]);
        var heic = await File.ReadAllBytesAsync(Heic);
        await File.WriteAllBytesAsync(TruncatedHeic, heic[..(heic.Length / 2)]);
        await File.WriteAllBytesAsync(Bomb, WithFrameSize(await File.ReadAllBytesAsync(Small), 30000, 30000));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(dir, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Rewrites the size in a JPEG's start-of-frame segment (SOF0–SOF2), leaving the data as it was.</summary>
    internal static byte[] WithFrameSize(byte[] jpeg, ushort width, ushort height)
    {
        var copy = (byte[])jpeg.Clone();
        for (var at = 2; at + 9 < copy.Length;)
        {
            var marker = copy[at + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(copy.AsSpan(at + 2));
            if (marker is 0xC0 or 0xC1 or 0xC2)
            {
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(at + 5), height);
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(at + 7), width);
                return copy;
            }
            at += 2 + length;
        }
        throw new InvalidOperationException("no start-of-frame segment");
    }

    private static async Task Run(string program, params string[] args)
    {
        var (code, stdout, stderr) = await ExternalProgram.RunAsync(program, args);
        Assert.True(code == 0, $"{program} {string.Join(' ', args)} failed ({code}):\n{stderr}\n{stdout}");
    }
}

/// <summary>
/// The Media tests share the samples and run alone (not beside other collections): libvips uses every core, and the
/// decompression-bomb test reads the process's peak memory.
/// </summary>
[CollectionDefinition(MediaSamples.Collection, DisableParallelization = true)]
public sealed class MediaCollection : ICollectionFixture<MediaSamples>;
