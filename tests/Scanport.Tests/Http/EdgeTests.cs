using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Scanport.Tests.Surfaces.Platform;
using Scanport.Tests.Surfaces.Reconstruction3D;

namespace Scanport.Tests.Http;

[Collection(AppCollection.Name)]
public sealed class EdgeTests(ScanportApp app)
{
    [Fact]
    public async Task Health_endpoints_answer_without_a_token()
    {
        using var client = app.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Every_response_carries_a_request_id_and_echoes_a_sane_one()
    {
        using var client = app.Client();
        var generated = await client.GetAsync("/healthz");
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$", generated.Headers.GetValues("X-Request-Id").Single());

        var request = new HttpRequestMessage(HttpMethod.Get, "/api/scan/status?scanId=x");
        request.Headers.Add("X-Request-Id", "client-id-42");
        var echoed = await client.SendAsync(request);
        Assert.Equal("client-id-42", echoed.Headers.GetValues("X-Request-Id").Single());
        var body = await echoed.Status(HttpStatusCode.Unauthorized);
        Assert.Equal("client-id-42", body.GetProperty("requestId").GetString());

        var hostile = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        hostile.Headers.TryAddWithoutValidation("X-Request-Id", "<script>");
        Assert.NotEqual("<script>", (await client.SendAsync(hostile)).Headers.GetValues("X-Request-Id").Single());
    }

    [Fact]
    public async Task OpenAPI_documents_and_interactive_docs_are_served()
    {
        using var client = app.Client();
        foreach (var doc in new[] { "platform", "bodyscan", "scanace", "vehicle360", "reconstruction" })
        {
            var body = await (await client.GetAsync($"/openapi/{doc}.json")).Status(HttpStatusCode.OK);
            Assert.True(body.GetProperty("paths").EnumerateObject().Any());
        }
        var platform = await (await client.GetAsync("/openapi/platform.json")).Status(HttpStatusCode.OK);
        Assert.True(platform.GetProperty("paths").TryGetProperty("/platform/v1/oauth/token", out _));
        var bodyscan = await (await client.GetAsync("/openapi/bodyscan.json")).Status(HttpStatusCode.OK);
        Assert.True(bodyscan.GetProperty("paths").TryGetProperty("/api/scan/frames", out _));
        var scanace = await (await client.GetAsync("/openapi/scanace.json")).Status(HttpStatusCode.OK);
        Assert.True(scanace.GetProperty("paths").TryGetProperty("/scanace/snapshots/{snapshotId}/s3-upload-credentials", out _));
        var reconstruction = await (await client.GetAsync("/openapi/reconstruction.json")).Status(HttpStatusCode.OK);
        Assert.True(reconstruction.GetProperty("paths").TryGetProperty("/api/v1/projects/{id}/start-reconstruction", out _));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/docs")).StatusCode);
    }

    [Fact]
    public async Task Unknown_routes_under_a_surface_answer_in_its_error_shape()
    {
        using var client = app.Client(await app.AdminTokenAsync());
        var body = await (await client.GetAsync("/api/scan/no-such-thing")).Status(HttpStatusCode.NotFound);
        Assert.Equal("Not found", body.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Object, body.GetProperty("details").ValueKind);

        var problem = await (await client.GetAsync("/platform/v1/no-such-thing")).Status(HttpStatusCode.NotFound);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }

    /// <summary>Bytes that are not UTF-8 where JSON must be: 0xFF never occurs in UTF-8.</summary>
    private static ByteArrayContent NotUtf8(string before, string after)
    {
        var content = new ByteArrayContent([.. Encoding.UTF8.GetBytes(before), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes(after)]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    [Fact]
    public async Task Text_that_is_not_UTF8_is_a_bad_request_naming_the_field_in_each_surfaces_shape()
    {
        using var client = app.Client(await app.AdminTokenAsync());

        var platform = await client.PostAsync("/platform/v1/projects", NotUtf8("""{"name":"P""", "\"}"));
        Assert.Equal(["is not valid UTF-8"], (await platform.Invalid("name")).Reasons("name"));

        var bodyScan = await (await client.PostAsync("/api/scan/init", NotUtf8("""{"sessionId":"s""", "\"}"))).Status(HttpStatusCode.BadRequest);
        Assert.Equal(["is not valid UTF-8"], bodyScan.GetProperty("details").Reasons("sessionId"));

        var reconstruction = await client.PostAsync("/api/v1/projects", NotUtf8("""{"name":"P""", "\"}"));
        Assert.Equal(["body.name"], await reconstruction.ValidationAsync());
        // A field read as raw JSON (a JsonElement) was a 500 once its handler decoded the text.
        var rawField = await client.PostAsync("/api/v1/projects", NotUtf8("""{"name":"P","description":{"text":"x""", "\"}}"));
        Assert.Equal(["body.description"], await rawField.ValidationAsync());
        var bare = await client.PostAsync("/api/v1/projects", NotUtf8("", "{}"));
        Assert.Equal(["body"], await bare.ValidationAsync());
    }

    [Fact]
    public async Task A_field_given_twice_is_refused_naming_it_not_last_one_wins()
    {
        using var client = app.Client(await app.AdminTokenAsync());

        var platform = await client.PostRawAsync("/platform/v1/projects", """{"name":"first","name":"second"}""");
        Assert.Equal(["is given more than once"], (await platform.Invalid("name")).Reasons("name"));

        var bodyScan = await (await client.PostRawAsync("/api/scan/init", """{"sessionId":"a","sessionId":"b"}""")).Status(HttpStatusCode.BadRequest);
        Assert.Equal(["is given more than once"], bodyScan.GetProperty("details").Reasons("sessionId"));
        // The surface reads names in any case, so another spelling is the same field.
        var spelling = await (await client.PostRawAsync("/api/scan/init", """{"sessionId":"a","SESSIONID":"b"}""")).Status(HttpStatusCode.BadRequest);
        Assert.Equal(["is given more than once"], spelling.GetProperty("details").Reasons("SESSIONID"));

        var reconstruction = await client.PostRawAsync("/api/v1/projects", """{"name":"first","name":"second"}""");
        Assert.Equal(["body.name"], await reconstruction.ValidationAsync());
        // A field read as raw JSON (a JsonElement) refuses duplicates inside it too.
        var nested = await client.PostRawAsync("/api/v1/projects", """{"name":"P","description":{"a":1,"a":2}}""");
        Assert.Equal(["body.description.a"], await nested.ValidationAsync());
    }

    [Fact]
    public async Task Every_answer_carries_the_security_headers()
    {
        using var client = app.Client(await app.AdminTokenAsync());
        foreach (var response in new[]
        {
            await client.GetAsync("/platform/v1/me"),
            await client.GetAsync("/platform/v1/no-such-thing"),
            await app.Client().GetAsync("/healthz"),
            await app.Client().GetAsync("/scanport/no-such-key"),
        })
        {
            var path = response.RequestMessage!.RequestUri!.AbsolutePath;
            Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var nosniff), path);
            Assert.Equal("nosniff", nosniff.Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("default-src 'none'", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
        }
    }

    [Fact]
    public async Task The_docs_page_loads_only_from_its_own_origin_under_its_policy()
    {
        using var client = app.Client();
        var docs = await client.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        var csp = docs.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("'unsafe-eval'", csp);
        Assert.DoesNotContain("http", csp);
        var html = await docs.Content.ReadAsStringAsync();
        // The page's inline script runs by this answer's nonce, not by allowing every inline script.
        var scripts = csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal));
        Assert.DoesNotContain("'unsafe-inline'", scripts);
        var nonce = System.Text.RegularExpressions.Regex.Match(scripts, "'nonce-(?<value>[^']+)'").Groups["value"].Value;
        Assert.NotEmpty(nonce);
        Assert.Contains($"<script type=\"module\" nonce=\"{nonce}\">", html);
        Assert.NotEqual(csp, (await client.GetAsync("/docs")).Headers.GetValues("Content-Security-Policy").Single());
        // Whatever the page names to load is its own, and is served.
        var sources = System.Text.RegularExpressions.Regex.Matches(html, "(?:src|href)=\"(?<url>[^\"]+)\"").Select(m => m.Groups["url"].Value).ToList();
        Assert.NotEmpty(sources);
        foreach (var url in sources)
        {
            Assert.False(url.StartsWith("http", StringComparison.OrdinalIgnoreCase) || url.StartsWith("//", StringComparison.Ordinal), url);
            var resolved = new Uri(docs.RequestMessage!.RequestUri!, url);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(resolved)).StatusCode);
        }
    }
}
