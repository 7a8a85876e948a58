using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;
using NetVips;

namespace Scanport.Media;

/// <summary>
/// Checks an uploaded photo, makes its thumbnails and measures its quality, with libvips. Thread-safe: one per process.
/// </summary>
/// <remarks>
/// The original is decoded once, with shrink-on-load (JPEG DCT scaling) straight to the largest thumbnail; the smaller
/// thumbnails and the quality-check downscale are derived from that in-memory image. libvips streams a JPEG decode,
/// so memory stays near the largest thumbnail (about 4 MB at 1200 px) plus a few strips, whatever the original's size;
/// libheif decodes a whole HEIC picture into its own buffer (3 bytes a pixel), which MaxPixels bounds. No pixels but the
/// encoded thumbnails reach managed memory.
/// </remarks>
public sealed class ImageProcessor
{
    private const string JpegLoader = "VipsForeignLoadJpegSource";
    private const string HeifLoader = "VipsForeignLoadHeifSource";

    /// <summary>The content types a file may turn out to be, by the libvips loader that recognises it, and their names for people.</summary>
    private static readonly Dictionary<string, (string ContentType, string Name)> Formats = new()
    {
        [JpegLoader] = ("image/jpeg", "JPEG"),
        [HeifLoader] = ("image/heic", "HEIC"),
        ["VipsForeignLoadPngSource"] = ("image/png", "PNG"),
        ["VipsForeignLoadTiffSource"] = ("image/tiff", "TIFF"),
    };

    /// <summary>What <see cref="Analyze"/> takes: the photos a phone or camera sends.</summary>
    public static readonly IReadOnlyList<string> PhotoTypes = ["image/jpeg", "image/heic"];

    private readonly ImageProcessingOptions options;
    private readonly int[] sizesDescending;
    private readonly QualityChecks quality;
    private readonly ILogger<ImageProcessor> logger;

    public ImageProcessor(IOptions<ImageProcessingOptions> options, ILogger<ImageProcessor> logger)
    {
        this.options = options.Value;
        Validator.ValidateObject(this.options, new ValidationContext(this.options), validateAllProperties: true);
        LibVips.Start(this.options.Concurrency);
        sizesDescending = [.. this.options.ThumbnailSizes.OrderDescending()];
        quality = new QualityChecks(this.options);
        this.logger = logger;
    }

    /// <summary>
    /// Analyses the photo at <paramref name="path"/> (a local file: download the upload first). CPU-bound and
    /// synchronous; <paramref name="cancellationToken"/> is checked between the steps.
    /// </summary>
    /// <exception cref="ImageRejectedException">Not a JPEG or HEIC, more pixels than allowed, or truncated or corrupt.</exception>
    public ImageAnalysis Analyze(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path)) throw new FileNotFoundException("No image at this path.", path);
        var header = ReadHeader(path, PhotoTypes);
        cancellationToken.ThrowIfCancellationRequested();
        var exif = ReadExif(path);
        cancellationToken.ThrowIfCancellationRequested();
        var (thumbnails, qc) = Render(path, header, cancellationToken);
        return new ImageAnalysis(header.ContentType, header.Width, header.Height, exif, thumbnails, qc);
    }

    /// <summary>
    /// Checks an uploaded image that another program decodes later (a reconstruction frame), as <see cref="Analyze"/>
    /// checks a photo: its content is one of <paramref name="contentTypes"/> and its header within the pixel limit; then
    /// every pixel is decoded once (JPEG shrunk on load, streamed, nothing kept), so data shorter than the header claims
    /// is refused here rather than by that program. CPU-bound and synchronous.
    /// </summary>
    /// <returns>The image's content type, one of <paramref name="contentTypes"/>.</returns>
    /// <exception cref="ImageRejectedException">Another format, more pixels than allowed, or truncated or corrupt.</exception>
    public string Verify(string path, IReadOnlyList<string> contentTypes, CancellationToken cancellationToken)
    {
        if (!File.Exists(path)) throw new FileNotFoundException("No image at this path.", path);
        var header = ReadHeader(path, contentTypes);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            using var source = Source.NewFromFile(path);
            using var image = Image.NewFromSource(source, header.ContentType == "image/jpeg" ? "shrink=8" : "",
                access: Enums.Access.Sequential, failOn: Enums.FailOn.Error);
            image.Avg();
        }
        catch (VipsException e)
        {
            throw new ImageRejectedException(ImageRejection.Corrupt, $"The image data is truncated or corrupt ({Cause(e)}).", e);
        }
        return header.ContentType;
    }

    // StoredLongEdge: the long edge as stored, before orientation (what shrink-on-load divides); Width and Height are as shown.
    private sealed record Header(string ContentType, int Width, int Height, int StoredLongEdge);

    /// <summary>Type, size and orientation from the header alone: nothing is decoded before the pixel limit is checked.</summary>
    private Header ReadHeader(string path, IReadOnlyList<string> contentTypes)
    {
        // A Source, not a file name: libvips would read "name.jpg[...]" as load options.
        using var source = Source.NewFromFile(path);
        var loader = Image.FindLoadSource(source);
        var names = contentTypes.Select(t => Formats.Values.First(f => f.ContentType == t).Name).ToList();
        if (loader is null)
            throw new ImageRejectedException(ImageRejection.UnsupportedFormat, $"The file is not an image (neither {OneOf(names, "nor")}).");
        if (!Formats.TryGetValue(loader, out var format) || !contentTypes.Contains(format.ContentType))
            throw new ImageRejectedException(ImageRejection.UnsupportedFormat,
                $"The file is {FormatName(loader)}, not a {OneOf(names, "or")} (the content counts, not the file name).");
        var contentType = format.ContentType;
        Image image;
        try
        {
            image = Image.NewFromSource(source, access: Enums.Access.Sequential, failOn: Enums.FailOn.Error);
        }
        catch (VipsException e)
        {
            throw new ImageRejectedException(ImageRejection.Corrupt, $"The image header is unreadable ({Cause(e)}).", e);
        }
        using (image)
        {
            if (loader == HeifLoader && image.Contains("heif-compression") && image.Get("heif-compression") is string compression && compression != "hevc")
                throw new ImageRejectedException(ImageRejection.UnsupportedFormat,
                    $"The file is a HEIF image compressed with {compression.ToUpperInvariant()} (AVIF or other), not HEIC (HEVC).");
            var pixels = (long)image.Width * image.Height;
            if (pixels > options.MaxPixels)
                throw new ImageRejectedException(ImageRejection.TooManyPixels,
                    $"The image is {image.Width}x{image.Height} ({pixels / 1e6:0.#} megapixels); at most {options.MaxPixels / 1e6:0.#} megapixels are accepted.");
            // libheif applies HEIF's own rotation and reports the displayed size, and libvips drops the EXIF tag for HEIC.
            var orientation = image.Contains("orientation") ? Convert.ToInt32(image.Get("orientation"), CultureInfo.InvariantCulture) : 1;
            var longEdge = Math.Max(image.Width, image.Height);
            return orientation is >= 5 and <= 8
                ? new Header(contentType, image.Height, image.Width, longEdge)
                : new Header(contentType, image.Width, image.Height, longEdge);
        }
    }

    private ExifSummary ReadExif(string path)
    {
        try
        {
            return ExifReader.Read(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The pixels decide whether the photo is usable; metadata the reader trips on only leaves the EXIF fields empty.
            logger.LogWarning(e, "EXIF of {Path} is unreadable", path);
            return ExifSummary.None;
        }
    }

    private (IReadOnlyDictionary<int, byte[]> Thumbnails, ImageQc Qc) Render(string path, Header header, CancellationToken cancellationToken)
    {
        var levels = new List<Image>(sizesDescending.Length);
        try
        {
            levels.Add(DecodeLargest(path, header));
            var thumbnails = new SortedDictionary<int, byte[]>();
            foreach (var size in sizesDescending)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var level = levels[^1];
                if (LongEdge(level) > size)
                {
                    using var reduced = level.ThumbnailImage(size, height: size, size: Enums.Size.Down);
                    level = reduced.CopyMemory();
                    levels.Add(level);
                }
                thumbnails[size] = level.WriteToBuffer(".jpg", new VOption { { "Q", options.ThumbnailQuality }, { "strip", true } });
            }
            cancellationToken.ThrowIfCancellationRequested();
            // The smallest level that still covers the quality-check size, else the largest (a small original).
            var forQc = levels.LastOrDefault(l => LongEdge(l) >= options.SharpnessLongEdge) ?? levels[0];
            return (thumbnails, quality.Measure(forQc));
        }
        finally
        {
            foreach (var level in levels) level.Dispose();
        }
    }

    /// <summary>The one decode: shrink-on-load toward the largest thumbnail, oriented, 8-bit sRGB without alpha, into memory.</summary>
    private Image DecodeLargest(string path, Header header)
    {
        var largest = sizesDescending[0];
        // JPEG: libjpeg's DCT scaling (1/2, 1/4, 1/8) as far as it stays at or above the largest thumbnail, then one
        // reduce. vips_thumbnail keeps a factor of 2 or more for its final reduce, so for 1200 px from a 12 MP photo it
        // decodes every pixel (twice the time); sharp shrinks on load as we do. HEIC has no shrink-on-load.
        var load = header.ContentType == "image/jpeg" ? $"shrink={JpegShrink(header.StoredLongEdge, largest)}" : "";
        try
        {
            using var source = Source.NewFromFile(path);
            // fail_on=error: a truncated or damaged file is an error here, where libvips would otherwise fill it with grey.
            using var loaded = Image.NewFromSource(source, load, access: Enums.Access.Sequential, failOn: Enums.FailOn.Error);
            // thumbnail_image applies the EXIF orientation and converts an embedded ICC profile to sRGB.
            using var thumbnail = loaded.ThumbnailImage(largest, height: largest, size: Enums.Size.Down);
            using var srgb = thumbnail.Interpretation == Enums.Interpretation.Srgb && thumbnail.Format == Enums.BandFormat.Uchar
                ? thumbnail.Copy()
                : thumbnail.Colourspace(Enums.Interpretation.Srgb);
            using var opaque = srgb.HasAlpha() ? srgb.Flatten(background: [255, 255, 255]) : srgb.Copy();
            return opaque.CopyMemory();
        }
        catch (VipsException e)
        {
            throw new ImageRejectedException(ImageRejection.Corrupt, $"The image data is truncated or corrupt ({Cause(e)}).", e);
        }
    }

    /// <summary>"JPEG, PNG or TIFF".</summary>
    private static string OneOf(List<string> names, string conjunction) =>
        names.Count == 1 ? names[0] : $"{string.Join(", ", names[..^1])} {conjunction} {names[^1]}";

    private static int JpegShrink(int longEdge, int target) =>
        longEdge / 8 >= target ? 8 : longEdge / 4 >= target ? 4 : longEdge / 2 >= target ? 2 : 1;

    private static int LongEdge(Image image) => Math.Max(image.Width, image.Height);

    /// <summary>
    /// libvips' own words: NetVips puts "unable to call …" first, then the error buffer, whose last line is the latest
    /// error (the buffer is process-wide, so earlier lines may belong to other work).
    /// </summary>
    private static string Cause(VipsException e)
    {
        var lines = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var cause = lines.Length > 1 ? lines[^1] : lines.FirstOrDefault() ?? "no detail";
        return cause.Length > 200 ? cause[..200] : cause;
    }

    /// <summary>"VipsForeignLoadPngSource" → "a PNG image".</summary>
    private static string FormatName(string loader)
    {
        var name = loader.Replace("VipsForeignLoad", "", StringComparison.Ordinal).Replace("Source", "", StringComparison.Ordinal);
        return name switch
        {
            "Png" or "PngSource" => "a PNG image",
            "Nsgif" or "Gif" => "a GIF image",
            "Webp" => "a WebP image",
            "Tiff" => "a TIFF image",
            "Jp2k" => "a JPEG 2000 image",
            "Jxl" => "a JPEG XL image",
            "" => "another format",
            _ => $"a {name.ToUpperInvariant()} file",
        };
    }
}
