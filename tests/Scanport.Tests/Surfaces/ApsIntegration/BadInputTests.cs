using System.Net;
using System.Net.Http.Json;
using System.Text;
using static Scanport.Tests.Surfaces.ApsIntegration.ApsiCalls;

namespace Scanport.Tests.Surfaces.ApsIntegration;

/// <summary>Input no client should send: every answer is the document's error body, with the status the document gives it, never a 500.</summary>
[Collection(AppCollection.Name)]
public sealed class BadInputTests(ScanportApp app)
{
    private static readonly string[] JsonRoutes = ["/projects", "/aps/buckets", "/aps/translate", "/auth/register", "/auth/login"];

    public static TheoryData<string, string> Bodies => new()
    {
        { "{", "application/json" },
        { "", "application/json" },
        { "null", "application/json" },
        { "[]", "application/json" },
        { "\"text\"", "application/json" },
        { "{\"name\": {\"nested\": [1, 2, {\"deep\": true}]}, \"bucket_key\": [], \"urn\": {}, \"email\": 1, \"password\": false}", "application/json" },
        { "{\"name\": \"\\ud800\"}", "application/json" },
        { "<xml/>", "application/xml" },
        { "name=x", "text/plain" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_body_that_is_not_the_documents_json_is_422_on_every_json_route_and_stores_nothing(string body, string contentType)
    {
        var (_, client) = await app.UserAsync();
        foreach (var route in JsonRoutes)
        {
            var response = await client.PostAsync(Base + route, new StringContent(body, Encoding.UTF8, contentType));
            var error = await response.ErrorAsync(HttpStatusCode.UnprocessableEntity, "VALIDATION_ERROR");
            Assert.Equal(Base + route, error.Text("path"));
        }
        Assert.Equal(0, (await (await client.GetAsync($"{Base}/projects")).Status(HttpStatusCode.OK)).GetProperty("total").GetInt32());
        Assert.Empty((await (await client.GetAsync($"{Base}/aps/buckets")).Status(HttpStatusCode.OK)).EnumerateArray());
    }

    [Fact]
    public async Task A_json_body_over_a_mebibyte_is_413_in_the_documents_shape()
    {
        var (_, client) = await app.UserAsync();
        var huge = $$"""{"name": "x", "description": "{{new string('d', 1_100_000)}}"}""";
        var response = await client.PostAsync($"{Base}/projects", new StringContent(huge, Encoding.UTF8, "application/json"));
        var body = await response.Status(HttpStatusCode.RequestEntityTooLarge);
        Assert.False(string.IsNullOrEmpty(body.Text("error_code")));
        Assert.Equal($"{Base}/projects", body.Text("path"));
        Assert.Equal(0, (await (await client.GetAsync($"{Base}/projects")).Status(HttpStatusCode.OK)).GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("search=%27%3B%20DROP%20TABLE%20projects%3B--")]
    [InlineData("search=%25")]
    [InlineData("search=_")]
    [InlineData("search=%E5%8C%97%E4%BA%AC")]
    [InlineData("search=%F0%9F%8F%97")]
    [InlineData("unknown=1&filter[nothing]=2")]
    public async Task Odd_but_harmless_queries_are_answered_200(string query)
    {
        var (_, client) = await app.UserAsync();
        await client.ProjectAsync("100% listo_1");
        foreach (var route in new[] { "/projects", "/files" })
        {
            var page = await (await client.GetAsync($"{Base}{route}?{query}")).Status(HttpStatusCode.OK);
            Assert.True(page.GetProperty("total").GetInt32() <= 1);
        }
        // LIKE's wildcards are searched as text.
        Assert.Equal(1, (await (await client.GetAsync($"{Base}/projects?search=%25%20listo")).Status(HttpStatusCode.OK)).GetProperty("total").GetInt32());
        Assert.Equal(0, (await (await client.GetAsync($"{Base}/projects?search=_x")).Status(HttpStatusCode.OK)).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Nul_characters_in_text_are_422_on_every_database()
    {
        var (email, client) = await app.UserAsync();
        var project = await client.ProjectAsync("Limpio");
        const string nul = "a\\u0000b"; // JSON's escape of NUL

        Assert.Contains("query.search", await (await client.GetAsync($"{Base}/projects?search=%00")).InvalidAsync());
        Assert.Contains("query.search", await (await client.GetAsync($"{Base}/files?search=x%00")).InvalidAsync());
        Assert.Contains("body.name", await (await client.PostRawAsync($"{Base}/projects", $$"""{"name": "{{nul}}"}""")).InvalidAsync());
        Assert.Contains("body.description", await (await client.PostRawAsync($"{Base}/projects", $$"""{"name": "ok", "description": "{{nul}}"}""")).InvalidAsync());
        Assert.Contains("body.name", await (await client.PutAsync($"{Base}/projects/{project.Number()}",
            new StringContent($$"""{"name": "{{nul}}"}""", Encoding.UTF8, "application/json"))).InvalidAsync());
        Assert.Contains("body.full_name", await (await client.PostRawAsync($"{Base}/auth/register",
            $$"""{"email": "nul-{{Guid.NewGuid():N}}@apsi.test", "password": "{{Password}}", "full_name": "{{nul}}"}""")).InvalidAsync());
        await (await client.PostRawAsync($"{Base}/auth/register", $$"""{"email": "n{{nul}}@apsi.test", "password": "{{Password}}"}""")).InvalidAsync();
        await (await client.PostRawAsync($"{Base}/auth/login", $$"""{"username": "{{email}}{{nul}}", "password": "{{Password}}"}"""))
            .ErrorAsync(HttpStatusCode.Unauthorized, "AUTH_INVALID_CREDENTIALS");
        await (await client.PostRawAsync($"{Base}/aps/translate", $$"""{"urn": "{{nul}}"}""")).InvalidAsync();

        var page = await (await client.GetAsync($"{Base}/projects")).Status(HttpStatusCode.OK);
        Assert.Equal(["Limpio"], page.GetProperty("items").EnumerateArray().Select(p => p.Text("name")));
    }

    [Theory]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    [InlineData("dXJuOmFkc2s6b2JqZWN0cy5vcy5vYmplY3Q6Li4vLi4")]
    [InlineData("====")]
    public async Task A_urn_in_the_path_that_names_nothing_is_404(string urn)
    {
        var (_, client) = await app.UserAsync();
        await (await client.GetAsync($"{Base}/aps/translate/{urn}/status")).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await client.GetAsync($"{Base}/aps/models/{urn}/metadata")).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task A_very_long_urn_is_refused_without_a_500()
    {
        var (_, client) = await app.UserAsync();
        var urn = new string('A', 6000);
        var status = await client.GetAsync($"{Base}/aps/translate/{urn}/status");
        Assert.True((int)status.StatusCode is 404 or 414 or 422, $"{(int)status.StatusCode}");
        Assert.Contains("body.urn", await (await client.PostAsJsonAsync($"{Base}/aps/translate", new { urn })).InvalidAsync());
    }

    [Fact]
    public async Task Unknown_routes_and_methods_answer_in_the_documents_shape()
    {
        var (_, client) = await app.UserAsync();
        await (await client.GetAsync($"{Base}/nothing-here")).ErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        var method = await client.PatchAsync($"{Base}/projects", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, method.StatusCode);
        var body = await method.Status(HttpStatusCode.MethodNotAllowed);
        Assert.Equal($"{Base}/projects", body.Text("path"));
        Assert.False(string.IsNullOrEmpty(body.Text("error_code")));
    }

    [Fact]
    public async Task A_multipart_upload_that_is_cut_short_or_malformed_is_refused_without_a_500()
    {
        var (_, client) = await app.UserAsync();
        var project = await client.ProjectAsync();
        var broken = new StringContent("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.obj\"\r\n\r\nv 0 0 0", Encoding.UTF8);
        broken.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        var body = await (await client.PostAsync($"{Base}/files", broken)).ErrorAsync(HttpStatusCode.UnprocessableEntity, "VALIDATION_ERROR");
        Assert.Contains("cut short or malformed", body.Text("detail"));

        var noBoundary = new StringContent("x", Encoding.UTF8);
        noBoundary.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data");
        await (await client.PostAsync($"{Base}/files", noBoundary)).ErrorAsync(HttpStatusCode.UnprocessableEntity, "VALIDATION_ERROR");
        Assert.Equal(0, (await (await client.GetAsync($"{Base}/files")).Status(HttpStatusCode.OK)).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_file_name_with_a_path_or_control_characters_is_stored_under_its_own_name_or_refused()
    {
        var (_, client) = await app.UserAsync();
        var project = await client.ProjectAsync();
        var bytes = Encoding.UTF8.GetBytes("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n");

        var pathed = await (await client.UploadAsync(project.Number(), bytes, "../../etc/modelo.obj")).Status(HttpStatusCode.Created);
        Assert.Equal("modelo.obj", pathed.Text("name"));
        Assert.Equal("modelo.obj", pathed.Text("original_filename"));
        var windows = await (await client.UploadAsync(project.Number(), bytes, "C:\\planos\\otro.obj")).Status(HttpStatusCode.Created);
        Assert.Equal("otro.obj", windows.Text("name"));
        Assert.Contains("body.file", await (await client.UploadAsync(project.Number(), bytes, "bad\u0001name.obj")).InvalidAsync());
        Assert.Equal(2, (await (await client.GetAsync($"{Base}/files")).Status(HttpStatusCode.OK)).GetProperty("total").GetInt32());
    }
}
