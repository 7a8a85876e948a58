using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scanport.ApsCloud;

/// <summary>Model Derivative v2: translation jobs, manifests, metadata, thumbnails and derivative downloads, by design URN.</summary>
public sealed class ApsDerivatives
{
    private readonly ApsTransport _transport;
    private readonly Uri _base;
    private readonly ApsBearer _token;

    internal ApsDerivatives(ApsTransport transport, Uri baseUrl, ApsBearer token) => (_transport, _base, _token) = (transport, baseUrl, token);

    /// <summary>
    /// Starts an SVF2 translation with 2D and 3D views; <paramref name="workflow"/> names the webhooks' <c>misc.workflow</c>.
    /// With <paramref name="force"/> false a translation already done or under way is kept (APS answers 200 or 201 then).
    /// </summary>
    public Task<ApsJob> TranslateAsync(string urn, string? workflow = null, bool force = false, string? rootFilename = null, CancellationToken ct = default)
    {
        var input = rootFilename is null ? (object)new { urn } : new { urn, compressedUrn = true, rootFilename };
        object job = workflow is null
            ? new { input, output = Output }
            : new { input, output = Output, misc = new { workflow } };
        // A job is safe to repeat without x-ads-force: APS keeps the translation it has instead of starting another.
        return _transport.JsonAsync<ApsJob>("start translation", ApsCloudClient.Json(HttpMethod.Post, Url("job"), job,
            ("x-ads-force", force ? "true" : "false")), force ? Replay.ThrottledOnly : Replay.Safe, _token, ct);
    }

    private static readonly object Output = new { destination = new { region = "us" }, formats = new[] { new { type = "svf2", views = new[] { "2d", "3d" } } } };

    public async Task<ApsManifest> ManifestAsync(string urn, CancellationToken ct = default)
    {
        var json = await _transport.JsonAsync<JsonElement>("manifest", ApsCloudClient.Plain(HttpMethod.Get, Url($"{Escape(urn)}/manifest")), Replay.Safe, _token, ct);
        return ApsManifest.Of(json);
    }

    /// <summary>Deletes the manifest and its derivatives; one already gone is fine.</summary>
    public async Task DeleteManifestAsync(string urn, CancellationToken ct = default)
    {
        using var _ = await _transport.SendAsync("delete manifest", ApsCloudClient.Plain(HttpMethod.Delete, Url($"{Escape(urn)}/manifest")), Replay.Safe, _token, ct,
            accept: r => r.StatusCode == HttpStatusCode.NotFound);
    }

    /// <summary>The model views (<c>data.metadata</c>: name, role, guid).</summary>
    public async Task<IReadOnlyList<ApsView>> ViewsAsync(string urn, CancellationToken ct = default)
    {
        var json = await _transport.JsonAsync<ViewsAnswer>("metadata", ApsCloudClient.Plain(HttpMethod.Get, Url($"{Escape(urn)}/metadata")), Replay.Safe, _token, ct);
        return json.Data?.Metadata ?? [];
    }

    /// <summary>A view's object tree (<c>data.objects</c>), or null while APS is still extracting it (202).</summary>
    public Task<JsonElement?> ObjectTreeAsync(string urn, string guid, CancellationToken ct = default) =>
        MaybeAsync("object tree", Url($"{Escape(urn)}/metadata/{Escape(guid)}"), ct);

    /// <summary>A view's properties (<c>data.collection</c>), or null while APS is still extracting them (202).</summary>
    public Task<JsonElement?> PropertiesAsync(string urn, string guid, int? objectId = null, CancellationToken ct = default) =>
        MaybeAsync("properties", Url($"{Escape(urn)}/metadata/{Escape(guid)}/properties" + (objectId is { } id ? $"?objectid={id}" : "")), ct);

    /// <summary>The design's thumbnail (PNG) of 100, 200 or 400 pixels, streamed; dispose it.</summary>
    public async Task<Stream> ThumbnailAsync(string urn, int width = 200, CancellationToken ct = default)
    {
        var response = await _transport.SendAsync("thumbnail", () => new HttpRequestMessage(HttpMethod.Get, Url($"{Escape(urn)}/thumbnail?width={width}")),
            Replay.Safe, _token, ct, stream: true);
        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(ct));
    }

    /// <summary>
    /// A derivative's bytes (a GLB, an SVF2 file, a thumbnail), streamed: signed cookies asked of the manifest, then the
    /// download URL with those cookies, as APS's viewer does. Dispose the stream.
    /// </summary>
    public async Task<Stream> DownloadAsync(string urn, string derivativeUrn, CancellationToken ct = default)
    {
        using var signed = await _transport.SendAsync("derivative URL", ApsCloudClient.Plain(HttpMethod.Get,
            Url($"{Escape(urn)}/manifest/{Escape(derivativeUrn)}/signedcookies")), Replay.Safe, _token, ct);
        var link = await ApsTransport.ReadAsync<SignedCookies>(signed, "derivative URL", ct);
        if (!Uri.TryCreate(link.Url, UriKind.Absolute, out var url))
            throw new ApsCloudException(ApsFailure.ApiError, "derivative URL: APS gave no download URL");
        var cookies = signed.Headers.TryGetValues("Set-Cookie", out var values)
            ? string.Join("; ", values.Select(v => v.Split(';', 2)[0].Trim()).Where(v => v.Contains('=')))
            : "";
        var response = await _transport.SendAsync("derivative download", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (cookies.Length > 0) request.Headers.Add("Cookie", cookies);
            return request;
        }, Replay.Safe, null, ct, stream: true);
        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(ct));
    }

    /// <summary>The file extensions the cloud translates to SVF2 (<c>GET formats</c>: <c>formats.svf2</c>), lower case without the dot.</summary>
    public async Task<IReadOnlyList<string>> Svf2InputsAsync(CancellationToken ct = default)
    {
        var json = await _transport.JsonAsync<JsonElement>("formats", ApsCloudClient.Plain(HttpMethod.Get, Url("formats")), Replay.Safe, _token, ct);
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("formats", out var formats) || formats.ValueKind != JsonValueKind.Object
            || !formats.TryGetProperty("svf2", out var svf2) || svf2.ValueKind != JsonValueKind.Array)
            throw new ApsCloudException(ApsFailure.ApiError, "formats: APS answered no formats.svf2 list");
        return [.. svf2.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!.TrimStart('.').ToLowerInvariant()).Distinct()];
    }

    private async Task<JsonElement?> MaybeAsync(string operation, Uri url, CancellationToken ct)
    {
        using var response = await _transport.SendAsync(operation, ApsCloudClient.Plain(HttpMethod.Get, url), Replay.Safe, _token, ct);
        if (response.StatusCode == HttpStatusCode.Accepted) return null;
        return await ApsTransport.ReadAsync<JsonElement>(response, operation, ct);
    }

    private Uri Url(string path) => new(_base, "modelderivative/v2/designdata/" + path);

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private sealed record ViewsAnswer([property: JsonPropertyName("data")] ViewsData? Data);

    private sealed record ViewsData([property: JsonPropertyName("metadata")] IReadOnlyList<ApsView>? Metadata);

    private sealed record SignedCookies([property: JsonPropertyName("url")] string? Url);
}

/// <summary>A translation job's acceptance: <c>result</c> is <c>success</c> or <c>created</c>.</summary>
public sealed record ApsJob([property: JsonPropertyName("result")] string? Result, [property: JsonPropertyName("urn")] string? Urn);

/// <summary>A model view of the metadata.</summary>
public sealed record ApsView(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("role")] string? Role,
    [property: JsonPropertyName("guid")] string Guid);

/// <summary>A manifest: its status (<c>pending</c>, <c>inprogress</c>, <c>success</c>, <c>failed</c>, <c>timeout</c>), progress, and the whole JSON.</summary>
public sealed record ApsManifest(string Status, string? Progress, JsonElement Json)
{
    public bool Finished => Status is "success" or "failed" or "timeout";

    /// <summary>Every derivative file of the manifest (children at any depth) with a <c>urn</c>: its URN, role and MIME type.</summary>
    public IEnumerable<(string Urn, string? Role, string? Mime)> Files()
    {
        var pending = new Stack<JsonElement>();
        pending.Push(Json);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (node.ValueKind != JsonValueKind.Object) continue;
            if (node.TryGetProperty("urn", out var urn) && urn.ValueKind == JsonValueKind.String && node.TryGetProperty("role", out _))
                yield return (urn.GetString()!, Text(node, "role"), Text(node, "mime"));
            foreach (var list in new[] { "derivatives", "children" })
                if (node.TryGetProperty(list, out var items) && items.ValueKind == JsonValueKind.Array)
                    foreach (var item in items.EnumerateArray()) pending.Push(item);
        }
    }

    internal static ApsManifest Of(JsonElement json) =>
        Text(json, "status") is { } status ? new ApsManifest(status, Text(json, "progress"), json)
            : throw new ApsCloudException(ApsFailure.ApiError, "manifest: APS answered a manifest without a status");

    private static string? Text(JsonElement node, string name) =>
        node.ValueKind == JsonValueKind.Object && node.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
