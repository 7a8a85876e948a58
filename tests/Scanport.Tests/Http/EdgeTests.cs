using System.Net;
using System.Text.Json;

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
}
