using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Surfaces.Console;

namespace Scanport.Tests.Console;

/// <summary>
/// The console as files over plain HTTP, without a token: index.html for every page of the app (so deep links and reloads
/// work), hashed assets cached for a year, index.html revalidated, a strict Content-Security-Policy, and <c>/</c> sending
/// a browser to <c>/console/</c>.
/// </summary>
[Collection(AppCollection.Name)]
public sealed partial class ConsoleServingTests(ScanportApp app)
{
    /// <summary>index.html of the build, failing with what to do when the console was not built before the app.</summary>
    private async Task<(HttpResponseMessage Response, string Body)> IndexAsync(string path)
    {
        using var client = app.Client();
        var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK,
            $"GET {path}: {(int)response.StatusCode}; the console must be built before the app (tools/console-build.sh, then dotnet build; ./test does both)\n{body}");
        return (response, body);
    }

    [Theory]
    [InlineData("/console/")]
    [InlineData("/console/projects")]
    [InlineData("/console/projects/12")]
    [InlineData("/console/projects/0190f1c2-0000-7000-8000-000000000000")]
    [InlineData("/console/admin/users")]
    [InlineData("/console/admin/api-keys")]
    [InlineData("/console/sign-in?next=%2Fconsole%2Fprojects")]
    public async Task Every_page_of_the_app_answers_its_index_html_without_a_token(string path)
    {
        var (response, body) = await IndexAsync(path);

        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<div id=\"app\"></div>", body);
        Assert.Matches(AssetReference(), body);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task The_page_has_a_strict_content_security_policy_and_no_inline_script()
    {
        var (response, body) = await IndexAsync("/console/projects/12");

        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        var directives = policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ').Skip(1).ToArray());
        Assert.Equal(["'none'"], directives["default-src"]);
        // WebAssembly may be compiled (the LAZ decoder), never JavaScript from strings.
        Assert.Equal(["'self'", "'wasm-unsafe-eval'"], directives["script-src"]);
        // The API and the object store the presigned file URLs point at, which is this server with the embedded store.
        var store = app.BaseAddress.GetLeftPart(UriPartial.Authority);
        Assert.Equal(["'self'", store], directives["connect-src"]);
        // Thumbnails are presigned URLs on the object store too.
        Assert.Equal(["'self'", "data:", "blob:", store], directives["img-src"]);
        Assert.Equal(["'none'"], directives["frame-ancestors"]);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-eval'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        // Every script of the page is a file of this origin: a script element without src would be refused by the policy.
        var scripts = ScriptElement().Matches(body).Select(m => m.Value).ToList();
        Assert.NotEmpty(scripts);
        Assert.All(scripts, s => Assert.Matches("src=\"/console/assets/[^\"]+\\.js\"", s));
    }

    [Fact]
    public async Task Hashed_assets_are_cached_for_a_year_and_immutable()
    {
        var (_, body) = await IndexAsync("/console/");
        using var client = app.Client();

        var assets = AssetReference().Matches(body).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Contains(assets, a => a.EndsWith(".js", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.EndsWith(".css", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            using var response = await client.GetAsync(asset);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
            Assert.Equal(asset.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : "text/css", response.Content.Headers.ContentType?.MediaType);
            Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 0, asset);
        }
    }

    [Theory]
    [InlineData("/console/assets/index-00000000.js")]
    [InlineData("/console/favicon.ico")]
    [InlineData("/console/..%2F..%2Fappsettings.json")]
    [InlineData("/console/assets/..%2F..%2FScanport.dll")]
    public async Task A_file_the_console_does_not_have_is_a_404_not_the_page(string path)
    {
        using var client = app.Client();
        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("<div id=\"app\">", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_browser_opening_the_root_is_sent_to_the_console()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/console/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_program_asking_the_root_for_json_gets_a_404_not_a_page()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task The_console_without_its_slash_is_sent_to_it()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

        using var response = await client.GetAsync("/console");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/console/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Without_a_built_console_its_pages_say_how_to_build_it()
    {
        var empty = Directory.CreateTempSubdirectory("scanport-console-").FullName;
        var bare = await ScanportApp.StartAsync(new Dictionary<string, string>(), services => services.AddSingleton(new ConsoleAssets(empty)));
        try
        {
            using var client = bare.Client();
            using var response = await client.GetAsync("/console/projects/12");
            var body = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("The console is not built", body);
            Assert.Contains("./run", body);
            using var asset = await client.GetAsync("/console/assets/index.js");
            Assert.Equal(HttpStatusCode.NotFound, asset.StatusCode);
        }
        finally
        {
            await ((IAsyncLifetime)bare).DisposeAsync();
            Directory.Delete(empty);
        }
    }

    [GeneratedRegex("(?:src|href)=\"(/console/assets/[^\"]+)\"")]
    private static partial Regex AssetReference();

    [GeneratedRegex("<script\\b[^>]*>")]
    private static partial Regex ScriptElement();
}
