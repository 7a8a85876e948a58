using System.Globalization;
using System.Text;
using Scanport.Http;

namespace Scanport.Surfaces.Reconstruction3D;

/// <summary>The tus protocol's headers (https://tus.io/protocols/resumable-upload), as <see cref="ResumableUploads"/> speaks them.</summary>
internal static class Tus
{
    public const string Version = "1.0.0";
    public const string ChunkContentType = "application/offset+octet-stream";

    /// <summary>Sets <c>Tus-Resumable</c> on the answer; the 412 for a request that does not speak this version, else null.</summary>
    public static ErrorResult? Refusal(HttpContext context)
    {
        context.Response.Headers["Tus-Resumable"] = Version;
        if (context.Request.Headers["Tus-Resumable"] == Version) return null;
        context.Response.Headers["Tus-Version"] = Version;
        return new ErrorResult(new ApiError(StatusCodes.Status412PreconditionFailed,
            $"Send Tus-Resumable: {Version}, the version of the resumable upload protocol this server speaks", Code: "precondition_failed"));
    }

    /// <summary>The upload's offset, length and expiry, as HEAD, POST and PATCH answer them.</summary>
    public static void Describe(HttpContext context, ReconUpload upload)
    {
        var headers = context.Response.Headers;
        headers["Upload-Offset"] = upload.Offset.ToString(CultureInfo.InvariantCulture);
        headers["Upload-Length"] = upload.Length.ToString(CultureInfo.InvariantCulture);
        headers["Upload-Expires"] = upload.ExpiresAt.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>tus's <c>Upload-Metadata</c>: <c>key base64,key base64,…</c> (a key may have no value); null when malformed.</summary>
    public static Dictionary<string, string>? ParseMetadata(string header)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(header)) return pairs;
        foreach (var pair in header.Split(','))
        {
            var parts = pair.Trim().Split(' ');
            if (parts.Length > 2 || parts[0].Length == 0 || pairs.ContainsKey(parts[0])) return null;
            var value = "";
            if (parts.Length == 2)
            {
                var bytes = new byte[parts[1].Length];
                if (!Convert.TryFromBase64String(parts[1], bytes, out var written)) return null;
                try
                {
                    value = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, written);
                }
                catch (DecoderFallbackException)
                {
                    return null;
                }
            }
            pairs[parts[0]] = value;
        }
        return pairs;
    }
}
