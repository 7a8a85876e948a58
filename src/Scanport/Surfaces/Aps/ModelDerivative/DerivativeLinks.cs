using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Storage;

namespace Scanport.Surfaces.Aps.ModelDerivative;

/// <summary>
/// APS's "Fetch Derivative Download URL": a download URL and three signed cookies in CloudFront's names (policy, key pair
/// id, signature), which APS's SDK copies onto the URL as <c>Policy</c>, <c>Key-Pair-Id</c> and <c>Signature</c>. Here the
/// policy names the organization, design, generation, file and expiry; it is signed with Scanport's ES256 key ring
/// (the key pair id is the key's id), so any node can check it; the URL answers without a bearer token while it holds.
/// </summary>
internal static class DerivativeLinks
{
    public const string DownloadPath = "/modelderivative/v2/designdata/signeddownload";
    private const int MaxMinutes = 360;

    private sealed record Policy(
        [property: JsonPropertyName("o")] Guid OrgId,
        [property: JsonPropertyName("s")] string SourceId,
        [property: JsonPropertyName("g")] Guid Generation,
        [property: JsonPropertyName("f")] string File,
        [property: JsonPropertyName("n")] string? Name,
        [property: JsonPropertyName("e")] long Expires);

    public static async Task<IResult> GetSignedCookies(string urn, string derivativeUrn,
        [FromQuery(Name = "minutes-expiration")] string? minutesExpiration, [FromQuery(Name = "response-content-disposition")] string? disposition,
        Caller caller, HttpContext context, ScanportDb db, DerivativeFiles files, SigningKeyRing ring, TimeProvider clock, CancellationToken ct)
    {
        var minutes = MaxMinutes;
        if (minutesExpiration is not null && (!int.TryParse(minutesExpiration, NumberStyles.None, CultureInfo.InvariantCulture, out minutes) || minutes is < 1 or > MaxMinutes))
            return MdErrors.BadInput($"minutes-expiration must be a whole number of minutes from 1 to {MaxMinutes}.");
        string? name = null;
        if (disposition is not null)
        {
            if (!disposition.StartsWith("attachment", StringComparison.OrdinalIgnoreCase) || !ContentDispositionHeaderValue.TryParse(disposition, out var parsed))
                return MdErrors.BadInput("response-content-disposition must be a Content-Disposition value beginning with attachment.");
            name = parsed.FileNameStar.Value ?? parsed.FileName.Value?.Trim('"');
        }
        var (source, manifest, error) = await ManifestEndpoints.FindAsync(urn, caller, db, ct);
        if (error is not null) return error;
        if (DesignUrns.FileOf(derivativeUrn, source!) is not { } file) return MdErrors.NotFound("The derivative URN names no derivative of this design.");
        if (manifest!.Status != ManifestStatus.Success || await files.HeadAsync(caller.OrgId, manifest.Generation, file, ct) is not { } info)
            return MdErrors.NotFound("The design has no such derivative (yet).");

        var expires = clock.GetUtcNow().AddMinutes(minutes);
        var policy = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(
            new Policy(caller.OrgId, manifest.SourceId, manifest.Generation, file, name, expires.ToUnixTimeSeconds())));
        var key = ring.Keys[0];
        var signature = Base64Url.EncodeToString(key.ECDsa.SignData(Encoding.ASCII.GetBytes(policy), HashAlgorithmName.SHA256));
        var cookie = new CookieOptions { Path = DownloadPath, HttpOnly = true, Expires = expires, SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax };
        context.Response.Cookies.Append("CloudFront-Policy", policy, cookie);
        context.Response.Cookies.Append("CloudFront-Key-Pair-Id", key.KeyId, cookie);
        context.Response.Cookies.Append("CloudFront-Signature", signature, cookie);
        var url = $"{context.Request.Scheme}://{context.Request.Host}{DownloadPath}";
        return TypedResults.Json(new Dictionary<string, object>
        {
            ["etag"] = info.ETag.Trim('"'),
            ["size"] = info.Size,
            ["url"] = url,
            ["content-type"] = info.ContentType ?? "application/octet-stream",
            ["expiration"] = expires.ToUnixTimeMilliseconds(),
        });
    }

    /// <summary>The signed URL: the derivative the policy names, whole or by range, while the policy holds and the manifest keeps it.</summary>
    public static async Task<IResult> Download(HttpContext context, ScanportDb db, DerivativeFiles files, SigningKeyRing ring, TimeProvider clock, CancellationToken ct)
    {
        string? Read(string query, string cookie) => context.Request.Query[query].FirstOrDefault() ?? context.Request.Cookies[cookie];
        var (encoded, keyId, signature) = (Read("Policy", "CloudFront-Policy"), Read("Key-Pair-Id", "CloudFront-Key-Pair-Id"), Read("Signature", "CloudFront-Signature"));
        if (encoded is null || keyId is null || signature is null || Verify(encoded, keyId, signature, ring) is not { } policy)
            return Refused("The download URL's policy is missing or its signature is not valid.");
        if (DateTimeOffset.FromUnixTimeSeconds(policy.Expires) <= clock.GetUtcNow()) return Refused("The download URL has expired.");
        var current = await db.DerivativeManifests.AsNoTracking()
            .AnyAsync(m => m.OrgId == policy.OrgId && m.SourceId == policy.SourceId && m.Generation == policy.Generation, ct);
        if (!current || await files.HeadAsync(policy.OrgId, policy.Generation, policy.File, ct) is not { } info)
            return MdErrors.NotFound("The derivative was deleted or translated again.");
        return await files.Store.SendAsync(context, info, policy.Name ?? policy.File) switch
        {
            ObjectSendOutcome.RangeNotSatisfiable => new ErrorResult(new ApiError(StatusCodes.Status416RangeNotSatisfiable,
                "The range starts past the end of the derivative.", Code: "RANGE_NOT_SATISFIABLE")),
            ObjectSendOutcome.Gone => MdErrors.NotFound("The derivative was deleted."),
            _ => TypedResults.Empty,
        };
    }

    private static Policy? Verify(string encoded, string keyId, string signature, SigningKeyRing ring)
    {
        if (ring.Resolve(keyId).OfType<Microsoft.IdentityModel.Tokens.ECDsaSecurityKey>().FirstOrDefault() is not { } key) return null;
        if (!Base64Url.IsValid(signature) || !Base64Url.IsValid(encoded)) return null;
        if (!key.ECDsa.VerifyData(Encoding.ASCII.GetBytes(encoded), Base64Url.DecodeFromChars(signature), HashAlgorithmName.SHA256)) return null;
        try
        {
            return JsonSerializer.Deserialize<Policy>(Base64Url.DecodeFromChars(encoded));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ErrorResult Refused(string message) => new(new ApiError(StatusCodes.Status403Forbidden, message, Code: "AUTH-012"));
}
