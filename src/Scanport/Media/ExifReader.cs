using System.Globalization;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;

namespace Scanport.Media;

/// <summary>Reads the capture settings with MetadataExtractor, which finds the EXIF block of JPEG (APP1) and HEIC (the Exif item) alike.</summary>
internal static class ExifReader
{
    /// <summary>Throws what MetadataExtractor throws on a damaged metadata block; the caller decides whether that matters.</summary>
    public static ExifSummary Read(string path)
    {
        var directories = ImageMetadataReader.ReadMetadata(path);
        var exif = directories.OfType<ExifSubIfdDirectory>().FirstOrDefault();
        if (exif is null) return ExifSummary.None;

        int? iso = exif.TryGetInt32(ExifDirectoryBase.TagIsoEquivalent, out var isoValue) && isoValue > 0 ? isoValue : null;
        var shutter = exif.TryGetRational(ExifDirectoryBase.TagExposureTime, out var exposure) ? Shutter(exposure) : null;
        var aperture = exif.TryGetRational(ExifDirectoryBase.TagFNumber, out var fNumber) ? Aperture(fNumber.ToDouble())
            : exif.TryGetDouble(ExifDirectoryBase.TagAperture, out var apex) ? Aperture(Math.Pow(2, apex / 2)) : null;
        var local = LocalTime(exif);
        var offset = Offset(exif.GetString(ExifDirectoryBase.TagTimeZoneOriginal));
        DateTimeOffset? timestamp = local is { } l && offset is { } o ? new DateTimeOffset(l, o) : null;
        return new ExifSummary(iso, shutter, aperture, timestamp, local);
    }

    /// <summary>1/250 for fractions of a second, decimals for long exposures and for ones no 1/n describes (0.8, 2, 2.5).</summary>
    internal static string? Shutter(Rational exposure)
    {
        if (exposure.Denominator == 0 || exposure.Numerator <= 0) return null;
        var seconds = exposure.ToDouble();
        if (seconds >= 1) return Decimal(seconds, 1);
        var simplified = exposure.GetSimplifiedInstance();
        if (simplified.Numerator == 1) return $"1/{simplified.Denominator.ToString(CultureInfo.InvariantCulture)}";
        var n = Math.Round(1 / seconds);
        return Math.Abs(n * seconds - 1) <= 0.05 ? $"1/{n.ToString(CultureInfo.InvariantCulture)}" : Decimal(seconds, 2);
    }

    internal static string? Aperture(double fNumber) =>
        double.IsFinite(fNumber) && fNumber > 0 ? "f/" + Decimal(fNumber, 1) : null;

    private static string Decimal(double value, int digits) =>
        Math.Round(value, digits).ToString(digits == 1 ? "0.#" : "0.##", CultureInfo.InvariantCulture);

    private static DateTime? LocalTime(ExifSubIfdDirectory exif)
    {
        var text = exif.GetString(ExifDirectoryBase.TagDateTimeOriginal)?.Trim('\0', ' ');
        if (!DateTime.TryParseExact(text, "yyyy:MM:dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return null;
        var subSeconds = exif.GetString(ExifDirectoryBase.TagSubsecondTimeOriginal)?.Trim('\0', ' ');
        if (!string.IsNullOrEmpty(subSeconds) && subSeconds.Length <= 7 && subSeconds.All(char.IsAsciiDigit))
            local = local.AddTicks(long.Parse(subSeconds.PadRight(7, '0'), CultureInfo.InvariantCulture));
        return DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
    }

    /// <summary>EXIF 2.31's "+HH:MM" / "-HH:MM".</summary>
    internal static TimeSpan? Offset(string? text)
    {
        text = text?.Trim('\0', ' ');
        if (text is not { Length: 6 } || text[0] is not ('+' or '-') || text[3] != ':') return null;
        if (!int.TryParse(text.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            || !int.TryParse(text.AsSpan(4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            || hours > 14 || minutes > 59) return null;
        var offset = new TimeSpan(hours, minutes, 0);
        return text[0] == '-' ? -offset : offset;
    }
}
