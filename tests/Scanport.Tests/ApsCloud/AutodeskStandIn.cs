using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Scanport.ApsCloud;

namespace Scanport.Tests.ApsCloud;

/// <summary>
/// A stand-in for Autodesk's cloud where only Autodesk can show a behaviour: Kestrel on 127.0.0.1 speaking APS's documented
/// protocol (Authentication v2's token endpoint with HTTP Basic and OAuth errors, OSS's signed S3 upload, Model
/// Derivative's job), with bucket keys that choose a misbehaviour: <c>storm</c> (429 with Retry-After in seconds),
/// <c>storm-date</c> (Retry-After as an HTTP date), <c>endless</c> (429 for ever), <c>flaky</c> (503 twice), <c>broken</c>
/// (malformed JSON), <c>silent</c> (never answers). Every request is counted by method and path.
/// Beside those, what the APS integration surface calls: buckets created (409 when taken, <see cref="TakenBucket"/> being
/// another application's), the formats, a translation of an uploaded object done at once (its manifest, views and object
/// tree), the webhooks' secret and hooks, the refresh-token grant (rotating), and <c>userinfo</c> for a user's token.
/// </summary>
public sealed class AutodeskStandIn : IAsyncDisposable
{
    public const string ClientId = "autodesk-app";
    public const string ClientSecret = "autodesk-secret";
    public const string GoodCode = "code-from-autodesk-sign-in";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _hits = new();
    private readonly ConcurrentDictionary<string, bool> _liveTokens = new();
    private readonly ConcurrentDictionary<(string UploadKey, int Part), byte[]> _parts = new();
    private readonly ConcurrentDictionary<string, string> _buckets = new() { [TakenBucket] = "another-app" };
    private readonly ConcurrentDictionary<string, bool> _objects = new();
    private readonly ConcurrentDictionary<string, bool> _translated = new();
    private readonly ConcurrentDictionary<string, bool> _liveRefreshTokens = new();
    private readonly ConcurrentDictionary<string, bool> _userTokens = new();
    private int _issued;

    /// <summary>A bucket key another application owns: creating it is APS's 409, reading it 403.</summary>
    public const string TakenBucket = "taken-by-another-app";

    /// <summary>The user the three-legged tokens are for (<c>userinfo</c>).</summary>
    public const string UserEmail = "arquitecta@autodesk.test";

    /// <summary>The webhooks' signing secret last set (<c>POST /webhooks/v1/tokens</c> or <c>PUT tokens/@me</c>).</summary>
    public string? WebhookSecret { get; private set; }

    /// <summary>The hooks created: event, callback URL and workflow.</summary>
    public ConcurrentQueue<(string Event, string CallbackUrl, string? Workflow)> Hooks { get; } = new();

    /// <summary>The buckets created here (by this application).</summary>
    public IReadOnlyCollection<string> Buckets => [.. _buckets.Where(b => b.Value == ClientId).Select(b => b.Key)];

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Requests to the presigned part URLs that carried an Authorization header (must stay empty).</summary>
    public ConcurrentQueue<string> BearersOnPresignedUrls { get; } = new();

    /// <summary>Bucket key whose first part upload expires every token issued so far (an expiry mid-upload).</summary>
    public const string ExpiringBucket = "expiring";

    public int Hits(string method, string path) => _hits.TryGetValue($"{method} {path}", out var n) ? n : 0;

    public int TokensIssued => _issued;

    /// <summary>The <c>expires_in</c> of the tokens issued from now on.</summary>
    public int TokenLifetimeSeconds { get; set; } = 3599;

    /// <summary>Requests of a method to every path under a prefix.</summary>
    public int HitsUnder(string method, string prefix) => _hits.Where(h => h.Key.StartsWith($"{method} {prefix}", StringComparison.Ordinal)).Sum(h => h.Value);

    private AutodeskStandIn()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            _hits.AddOrUpdate($"{context.Request.Method} {context.Request.Path}", 1, (_, n) => n + 1);
            await next(context);
        });
        _app.MapPost("/authentication/v2/token", Token);
        _app.MapGet("/oss/v2/buckets/{bucketKey}/details", BucketDetails);
        _app.MapGet("/oss/v2/buckets/{bucketKey}/objects/{objectKey}/signeds3upload", UploadUrls);
        _app.MapPost("/oss/v2/buckets/{bucketKey}/objects/{objectKey}/signeds3upload", Complete);
        _app.MapPut("/s3/{uploadKey}/{part:int}", Part);
        _app.MapPost("/modelderivative/v2/designdata/job", Job);
        _app.MapPost("/oss/v2/buckets", CreateBucket);
        _app.MapGet("/modelderivative/v2/designdata/formats", Formats);
        _app.MapGet("/modelderivative/v2/designdata/{urn}/manifest", Manifest);
        _app.MapGet("/modelderivative/v2/designdata/{urn}/metadata", Views);
        _app.MapGet("/modelderivative/v2/designdata/{urn}/metadata/{guid}", Tree);
        _app.MapPost("/webhooks/v1/tokens", SetSecret);
        _app.MapPut("/webhooks/v1/tokens/@me", SetSecret);
        _app.MapPost("/webhooks/v1/systems/derivative/events/{event}/hooks", CreateHook);
        _app.MapGet("/userinfo", UserInfo);
    }

    public static async Task<AutodeskStandIn> StartAsync()
    {
        var standIn = new AutodeskStandIn();
        await standIn._app.StartAsync();
        standIn.BaseAddress = new Uri(standIn._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return standIn;
    }

    /// <summary>An APS client configured for this cloud as for Autodesk's: base URL, client id and secret, quick retries.</summary>
    public ApsCloudClient Client(int maxAttempts = 4, string? secret = null, Action<Dictionary<string, string?>>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Aps:BaseUrl"] = BaseAddress.ToString(),
            ["Aps:ClientId"] = ClientId,
            ["Aps:ClientSecret"] = secret ?? ClientSecret,
            ["Aps:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Aps:RetryBaseDelay"] = "00:00:00.050",
            ["Aps:MaxRetryDelay"] = "00:00:05",
            // Long enough for a first request on a busy two-core machine (a token exchange is never sent twice, so a slow
            // first answer would be a failure); the test of a cloud that never answers sets its own.
            ["Aps:RequestTimeout"] = "00:00:15",
            ["Aps:MaxRetryTime"] = "00:00:30",
            ["Aps:UploadUrlBatch"] = "1",
        };
        settings?.Invoke(values);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddApsCloud(configuration).BuildServiceProvider();
        return services.GetRequiredService<ApsCloudClients>().Create();
    }

    private async Task<IResult> Token(HttpContext context, CancellationToken ct)
    {
        var form = await context.Request.ReadFormAsync(ct);
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}"));
        if (context.Request.Headers.Authorization.ToString() != $"Basic {basic}")
            return Results.Json(new { error = "invalid_client", error_description = "The client credentials are invalid" }, statusCode: 401);
        switch (form["grant_type"].ToString())
        {
            case "client_credentials":
                return Issued(refresh: false);
            case "authorization_code" when form["code"] == GoodCode && form["code_verifier"].ToString().Length >= 43:
                return Issued(refresh: true);
            case "refresh_token" when _liveRefreshTokens.TryRemove(form["refresh_token"].ToString(), out _):
                return Issued(refresh: true); // the refresh token rotates: the one sent is spent
            case "refresh_token":
                return Results.Json(new { error = "invalid_grant", error_description = "The refresh token is invalid or expired" }, statusCode: 400);
            case "authorization_code" when form["code"] == "code-while-unavailable":
                return Results.Json(new { developerMessage = "Service Unavailable" }, statusCode: 503);
            case "authorization_code":
                return Results.Json(new { error = "invalid_grant", error_description = "The authorization code is invalid or expired" }, statusCode: 400);
            default:
                return Results.Json(new { error = "unsupported_grant_type" }, statusCode: 400);
        }
    }

    private IResult Issued(bool refresh)
    {
        var token = $"token-{Interlocked.Increment(ref _issued)}";
        _liveTokens[token] = true;
        if (refresh)
        {
            _userTokens[token] = true;
            _liveRefreshTokens[$"refresh-{_issued}"] = true;
        }
        return Results.Json(new Dictionary<string, object?>
        {
            ["access_token"] = token,
            ["token_type"] = "Bearer",
            ["expires_in"] = TokenLifetimeSeconds,
            ["refresh_token"] = refresh ? $"refresh-{_issued}" : null,
        });
    }

    /// <summary>APS's answer to a missing, unknown or expired bearer; null when the bearer is live.</summary>
    private IResult? Authorized(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && _liveTokens.ContainsKey(header["Bearer ".Length..]) ? null
            : Results.Json(new { developerMessage = "The token is not valid or has expired.", errorCode = "AUTH-006" }, statusCode: 401);
    }

    private async Task<IResult> BucketDetails(HttpContext context, string bucketKey)
    {
        if (Authorized(context) is { } refused) return refused;
        var call = Hits("GET", context.Request.Path);
        if (_buckets.TryGetValue(bucketKey, out var owner) && owner != ClientId)
            return Results.Json(new { reason = "Access denied: the bucket is another application's" }, statusCode: 403);
        switch (bucketKey)
        {
            case "storm" when call <= 2:
                context.Response.Headers.RetryAfter = "1";
                return Results.Json(new { developerMessage = "Too many requests" }, statusCode: 429);
            case "storm-date" when call <= 1:
                context.Response.Headers.RetryAfter = DateTimeOffset.UtcNow.AddSeconds(2).ToString("R");
                return Results.Json(new { developerMessage = "Too many requests" }, statusCode: 429);
            case "endless":
                context.Response.Headers.RetryAfter = "0";
                return Results.Json(new { developerMessage = "Too many requests", reason = "Quota exceeded" }, statusCode: 429);
            case "flaky" when call <= 2:
                return Results.Json(new { developerMessage = "Service Unavailable" }, statusCode: 503);
            case "broken":
                return Results.Text("{\"bucketKey\": \"broken\", \"policyKey\": ", "application/json");
            case "silent":
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
                return Results.Empty;
            case "missing":
                return Results.Json(new { reason = "Bucket not found" }, statusCode: 404);
            default:
                return Results.Json(new { bucketKey, bucketOwner = ClientId, createdDate = 1700000000000, policyKey = "persistent" });
        }
    }

    /// <summary>
    /// A job for the URN <c>throttled</c> is throttled once, then created; one for an object uploaded here is done at once;
    /// any other finds the service down.
    /// </summary>
    private async Task<IResult> Job(HttpContext context, CancellationToken ct)
    {
        if (Authorized(context) is { } refused) return refused;
        var urn = (await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body, cancellationToken: ct)).RootElement
            .GetProperty("input").GetProperty("urn").GetString();
        if (urn is not null && ApsUrns.Decode(urn) is { } objectId && _objects.ContainsKey(objectId))
        {
            _translated[urn] = true;
            return Results.Json(new { result = "created", urn, acceptedJobs = new { output = new { formats = new[] { new { type = "svf2", views = new[] { "2d", "3d" } } } } } },
                statusCode: 201);
        }
        if (urn == ApsUrns.Encode("throttled"))
        {
            if (Hits("POST", context.Request.Path) > 1) return Results.Json(new { result = "created", urn }, statusCode: 201);
            context.Response.Headers.RetryAfter = "0";
            return Results.Json(new { developerMessage = "Too many requests" }, statusCode: 429);
        }
        return Results.Json(new { developerMessage = "Service temporarily unavailable", errorCode = "AUTODESK-503" }, statusCode: 503);
    }

    private IResult UploadUrls(HttpContext context, string bucketKey, string objectKey, int parts, int firstPart, string? uploadKey)
    {
        if (Authorized(context) is { } refused) return refused;
        uploadKey ??= $"{bucketKey}-{Guid.NewGuid():N}";
        var urls = Enumerable.Range(firstPart, parts).Select(n => new Uri(BaseAddress, $"/s3/{uploadKey}/{n}").ToString()).ToArray();
        return Results.Json(new { uploadKey, urls });
    }

    private async Task<IResult> Part(HttpContext context, string uploadKey, int part)
    {
        if (context.Request.Headers.Authorization.Count > 0) BearersOnPresignedUrls.Enqueue($"{uploadKey}/{part}");
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        _parts[(uploadKey, part)] = body.ToArray();
        // The token the upload started with expires while the parts go up.
        if (uploadKey.StartsWith(ExpiringBucket + "-", StringComparison.Ordinal) && part == 1) _liveTokens.Clear();
        context.Response.Headers.ETag = $"\"{Convert.ToHexStringLower(MD5.HashData(body.ToArray()))}\"";
        return Results.Ok();
    }

    private async Task<IResult> Complete(HttpContext context, string bucketKey, string objectKey)
    {
        if (Authorized(context) is { } refused) return refused;
        var body = await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body);
        var uploadKey = body.RootElement.GetProperty("uploadKey").GetString()!;
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        long size = 0;
        foreach (var part in _parts.Where(p => p.Key.UploadKey == uploadKey).OrderBy(p => p.Key.Part))
        {
            sha1.AppendData(part.Value);
            size += part.Value.Length;
        }
        _objects[$"urn:adsk.objects:os.object:{bucketKey}/{objectKey}"] = true;
        return Results.Json(new
        {
            bucketKey,
            objectKey,
            objectId = $"urn:adsk.objects:os.object:{bucketKey}/{objectKey}",
            sha1 = Convert.ToHexStringLower(sha1.GetHashAndReset()),
            size,
            contentType = "application/octet-stream",
            location = new Uri(BaseAddress, $"/oss/v2/buckets/{bucketKey}/objects/{objectKey}").ToString(),
        });
    }

    private async Task<IResult> CreateBucket(HttpContext context, CancellationToken ct)
    {
        if (Authorized(context) is { } refused) return refused;
        var body = (await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body, cancellationToken: ct)).RootElement;
        var bucketKey = body.GetProperty("bucketKey").GetString()!;
        var policyKey = body.TryGetProperty("policyKey", out var p) ? p.GetString() : "transient";
        if (!_buckets.TryAdd(bucketKey, ClientId)) return Results.Json(new { reason = "Bucket already exists" }, statusCode: 409);
        return Results.Json(new { bucketKey, bucketOwner = ClientId, createdDate = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), policyKey, permissions = Array.Empty<object>() });
    }

    private IResult Formats(HttpContext context) => Authorized(context) ?? Results.Json(new
    {
        formats = new Dictionary<string, string[]>
        {
            ["svf2"] = ["dwg", "dwf", "ifc", "nwd", "obj", "rvt", "step", "stl"],
            ["thumbnail"] = ["dwg", "ifc", "rvt"],
        },
    });

    private IResult Manifest(HttpContext context, string urn)
    {
        if (Authorized(context) is { } refused) return refused;
        if (!_translated.ContainsKey(urn)) return Results.Json(new { diagnostic = "Requested file not found" }, statusCode: 404);
        return Results.Json(new
        {
            type = "manifest",
            hasThumbnail = "true",
            status = "success",
            progress = "complete",
            region = "US",
            urn,
            version = "1.0",
            derivatives = new[]
            {
                new
                {
                    name = "model",
                    hasThumbnail = "true",
                    status = "success",
                    progress = "complete",
                    outputType = "svf2",
                    children = new[] { new { guid = "view-3d", type = "geometry", role = "3d", name = "{3D}", status = "success" } },
                },
            },
        });
    }

    private IResult Views(HttpContext context, string urn) => Authorized(context) ?? (_translated.ContainsKey(urn)
        ? Results.Json(new { data = new { type = "metadata", metadata = new[] { new { name = "{3D}", role = "3d", guid = "view-3d" } } } })
        : Results.Json(new { diagnostic = "Requested file not found" }, statusCode: 404));

    private IResult Tree(HttpContext context, string urn, string guid) => Authorized(context) ?? (_translated.ContainsKey(urn) && guid == "view-3d"
        ? Results.Json(new
        {
            data = new
            {
                type = "objects",
                objects = new[] { new { objectid = 1, name = "Model", objects = new[] { new { objectid = 2, name = "Walls" }, new { objectid = 3, name = "Floors" } } } },
            },
        })
        : Results.Json(new { diagnostic = "Requested file not found" }, statusCode: 404));

    private async Task<IResult> SetSecret(HttpContext context, CancellationToken ct)
    {
        if (Authorized(context) is { } refused) return refused;
        var body = (await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body, cancellationToken: ct)).RootElement;
        WebhookSecret = body.GetProperty("token").GetString();
        return Results.Ok();
    }

    private async Task<IResult> CreateHook(HttpContext context, string @event, CancellationToken ct)
    {
        if (Authorized(context) is { } refused) return refused;
        var body = (await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body, cancellationToken: ct)).RootElement;
        var workflow = body.TryGetProperty("scope", out var scope) && scope.TryGetProperty("workflow", out var w) ? w.GetString() : null;
        Hooks.Enqueue((@event, body.GetProperty("callbackUrl").GetString()!, workflow));
        return Results.Created($"/webhooks/v1/systems/derivative/events/{@event}/hooks/{Guid.NewGuid()}", null);
    }

    /// <summary>The user's profile for a live three-legged token; a two-legged one is refused, as APS does.</summary>
    private IResult UserInfo(HttpContext context)
    {
        if (Authorized(context) is { } refused) return refused;
        var token = context.Request.Headers.Authorization.ToString()["Bearer ".Length..];
        return _userTokens.ContainsKey(token)
            ? Results.Json(new { sub = "AUTODESK-USER-1", email = UserEmail, name = "Arquitecta Autodesk", email_verified = true })
            : Results.Json(new { developerMessage = "A three-legged token is required", errorCode = "AUTH-001" }, statusCode: 403);
    }

    /// <summary>Expires every token issued so far, the users' included (their refresh tokens still work).</summary>
    public void ExpireTokens() => _liveTokens.Clear();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
