using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Http;

namespace Scanport.Surfaces.ApsIntegration;

/// <summary>
/// <c>POST /webhooks/translation-status</c>: translation news pushed by the APS cloud (APS's callback body, or the document's
/// <c>{urn, status, progress, timestamp}</c>), taken only with a valid <c>x-adsk-signature</c> (<c>sha1hash=</c> and the hex
/// HMAC-SHA1 of the exact body, keyed with the webhook secret). A callback is refused when its own time is further from now
/// than <c>WebhookTolerance</c>; one already taken (the same signature and body) changes nothing; news older than a file's
/// last change changes nothing either.
/// </summary>
internal static class WebhookEndpoint
{
    public const string SignatureHeader = "x-adsk-signature";
    private const int MaxBody = 64 * 1024;

    public static void MapApsiWebhook(this RouteGroupBuilder api) =>
        api.MapPost("/webhooks/translation-status", Receive).AllowAnonymous().WithBodyLimit(MaxBody).ProducesErrors(400, 401, 422)
            .WithName("ApsiTranslationWebhook").WithSummary("Translation status callbacks from APS, signed with the webhook secret");

    public static async Task<Results<Ok<WebhookReceipt>, ErrorResult>> Receive(HttpContext context, ScanportDb db, TranslationHooks hooks,
        IOptions<ApsIntegrationOptions> options, TimeProvider clock, CancellationToken ct)
    {
        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await context.Request.Body.CopyToAsync(buffer, ct);
            body = buffer.ToArray();
        }
        var signature = context.Request.Headers[SignatureHeader].ToString();
        if (!Verify(await hooks.SecretAsync(ct), body, signature)) return new ErrorResult(BadSignature);

        Callback callback;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (Read(json.RootElement) is not { } read) return new ErrorResult(ApiError.Validation(new Dictionary<string, string[]>
            {
                ["urn"] = ["field required"],
                ["status"] = ["field required"],
                ["timestamp"] = ["field required"],
            }, "The body is neither APS's callback nor {urn, status, progress, timestamp}"));
            callback = read;
        }
        catch (JsonException)
        {
            return new ErrorResult(ApsiErrors.Invalid("body", "is not valid JSON"));
        }

        var now = clock.GetUtcNow();
        var tolerance = options.Value.WebhookTolerance;
        if (callback.At < now - tolerance || callback.At > now + tolerance)
            return new ErrorResult(ApsiErrors.BadRequest($"The callback's timestamp {callback.At:O} is more than {tolerance.TotalSeconds:0} s from now: stale or replayed"));

        // Taken once: the receipt's key is unique, so a replay racing the original loses at the insert. The body alone is the
        // key: its signature is a function of it, and the header's spelling (SHA1HASH=, upper-case hex) must not make a replay new.
        var digest = SHA256.HashData(body);
        await db.Set<ApsiWebhookReceipt>().Where(r => r.ReceivedAt < now - 2 * tolerance).ExecuteDeleteAsync(ct);
        db.Add(new ApsiWebhookReceipt { Digest = digest, ReceivedAt = now });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return TypedResults.Ok(new WebhookReceipt(true, true, 0));
        }

        var urn = DesignFiles.ParseUrn(callback.Urn)?.Urn ?? callback.Urn;
        var updated = 0;
        foreach (var file in await db.Set<ApsiFile>().Where(f => f.Urn == urn).ToListAsync(ct))
            if (DesignFiles.Apply(file, callback.Status, callback.At, callback.Status is "failed" or "timeout" ? $"The translation ended {callback.Status}" : null))
                updated++;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new WebhookReceipt(true, false, updated));
    }

    /// <summary>Whether the header is <c>sha1hash=</c> and the HMAC-SHA1 of the body with the secret, compared in constant time.</summary>
    public static bool Verify(string secret, byte[] body, string header)
    {
        const string prefix = "sha1hash=";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || header.Length != prefix.Length + 40) return false;
        byte[] given;
        try
        {
            given = Convert.FromHexString(header.AsSpan(prefix.Length));
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), body), given);
    }

    private sealed record Callback(string Urn, string Status, DateTimeOffset At);

    /// <summary>
    /// APS's <c>{version, resourceUrn, hook, payload: {TimeStamp, URN, EventType, Payload: {status, progress}}}</c>, its payload
    /// alone (<c>callbackWithEventPayloadOnly</c>), or the document's <c>{urn, status, progress, timestamp}</c>.
    /// </summary>
    private static Callback? Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return null;
        var payload = root.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object ? p : root;
        if (payload.TryGetProperty("Payload", out var inner) && inner.ValueKind == JsonValueKind.Object)
        {
            var urn = Text(payload, "URN") ?? Text(inner, "URN") ?? Text(root, "resourceUrn");
            var status = Text(inner, "status");
            var at = payload.TryGetProperty("TimeStamp", out var stamp) && stamp.TryGetInt64(out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null;
            return urn is null || status is null || at is null ? null : new Callback(urn, status, at.Value);
        }
        var docUrn = Text(root, "urn");
        var docStatus = Text(root, "status");
        var docAt = Text(root, "timestamp") is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : (DateTimeOffset?)null;
        return docUrn is null || docStatus is null || docAt is null ? null : new Callback(docUrn, docStatus, docAt.Value);
    }

    private static string? Text(JsonElement node, string name) =>
        node.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static readonly ApiError BadSignature =
        new(StatusCodes.Status401Unauthorized, "Missing or invalid x-adsk-signature", Code: ApsiCodes.InvalidCredentials);
}

internal sealed record WebhookReceipt(
    [property: JsonPropertyName("received")] bool Received,
    [property: JsonPropertyName("duplicate")] bool Duplicate,
    [property: JsonPropertyName("updated")] int Updated);
