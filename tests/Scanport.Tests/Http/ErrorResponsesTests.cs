using System.Net;
using System.Text.Json;

namespace Scanport.Tests.Http;

/// <summary>Each surface's OpenAPI document lists every route's failures, in the surface's own error body.</summary>
[Collection(AppCollection.Name)]
public sealed class ErrorResponsesTests(ScanportApp app)
{
    [Theory]
    [InlineData("platform", "ProblemDetails", "HttpValidationProblemDetails", 400)]
    [InlineData("bodyscan", "BodyScanError", "BodyScanError", 400)]
    [InlineData("scanace", "ScanAceError", "ScanAceError", 400)]
    [InlineData("vehicle360", "Vehicle360Error", "Vehicle360Error", 400)]
    [InlineData("reconstruction", "FastApiError", "FastApiValidationError", 422)]
    public async Task Every_route_lists_its_failures_with_the_surface_error_schema(string document, string error, string validation, int invalid)
    {
        using var client = app.Client();
        var paths = (await (await client.GetAsync($"/openapi/{document}.json")).Status(HttpStatusCode.OK)).GetProperty("paths");
        var operations = paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(o => (Route: $"{o.Name} {p.Name}", Responses: o.Value.GetProperty("responses")))).ToList();
        Assert.NotEmpty(operations);
        foreach (var (route, responses) in operations)
        {
            // Every route can fail unexpectedly; the answer is still the surface's shape.
            Assert.True(responses.TryGetProperty("500", out var failure), $"{route} lists no 500");
            Assert.Equal($"#/components/schemas/{error}", Schema(failure));
            foreach (var response in responses.EnumerateObject().Where(r => r.Name[0] is '4' or '5'))
                Assert.False(string.IsNullOrEmpty(Schema(response.Value)), $"{route} lists {response.Name} without a schema");
        }
        Assert.Contains(operations, o => o.Responses.TryGetProperty("401", out var r) && Schema(r) == $"#/components/schemas/{error}");
        Assert.Contains(operations, o => o.Responses.TryGetProperty("404", out var r) && Schema(r) == $"#/components/schemas/{error}");
        Assert.Contains(operations, o => o.Responses.TryGetProperty(invalid.ToString(System.Globalization.CultureInfo.InvariantCulture), out var r)
            && Schema(r) == $"#/components/schemas/{validation}");
    }

    private static string? Schema(JsonElement response) =>
        response.TryGetProperty("content", out var content)
            ? content.EnumerateObject().Select(c => c.Value.GetProperty("schema")).Select(s => s.TryGetProperty("$ref", out var r) ? r.GetString() : s.ToString()).FirstOrDefault()
            : null;
}
