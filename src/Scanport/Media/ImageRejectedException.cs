namespace Scanport.Media;

/// <summary>Why a file was refused.</summary>
public enum ImageRejection
{
    /// <summary>Not a format the caller accepts (for photos JPEG or HEIC, HEVC in HEIF), whatever its name says.</summary>
    UnsupportedFormat,
    /// <summary>The header claims more pixels than <see cref="ImageProcessingOptions.MaxPixels"/> (a decompression bomb, or just too big).</summary>
    TooManyPixels,
    /// <summary>The header or the pixel data is truncated or damaged.</summary>
    Corrupt,
}

/// <summary>The file is not an image Scanport accepts; <see cref="Exception.Message"/> says why in words a person can read.</summary>
public sealed class ImageRejectedException(ImageRejection reason, string message, Exception? inner = null) : Exception(message, inner)
{
    public ImageRejection Reason { get; } = reason;
}
