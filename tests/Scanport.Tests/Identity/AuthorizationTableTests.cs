using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Scanport.Tests.Identity;

/// <summary>
/// Who may do what, on every route of every surface: each row of <see cref="AuthorizationTable"/> called by each
/// principal of the organization T and of another organization O, with a valid request, so that only authorization
/// decides the status. A refusal must also leave the database exactly as it was. A route the app serves without a row
/// fails the suite, so a new route cannot go unreviewed.
/// </summary>
public sealed class AuthorizationTableTests(AuthorizationWorld world) : IClassFixture<AuthorizationWorld>
{
    public static TheoryData<string, string, string> Cells()
    {
        var cells = new TheoryData<string, string, string>();
        foreach (var row in AuthorizationTable.Rows)
            foreach (var principal in AuthorizationWorld.Principals) cells.Add(row.Name, principal, row.Expect(new Who(principal)).ToString());
        return cells;
    }

    public static TheoryData<string, string> AnonymousRoutes()
    {
        var routes = new TheoryData<string, string>();
        foreach (var row in AuthorizationTable.Anonymous) routes.Add(row.Name, row.Reason);
        return routes;
    }

    [Fact]
    public void Every_route_of_every_surface_has_a_row()
    {
        var rows = TableRoutes().ToHashSet();
        var missing = AppRoutes().Where(route => !rows.Contains(route)).Select(route => $"{route.Method} {route.Pattern}").Order().ToList();
        Assert.True(missing.Count == 0, $"routes without a row in the authorization table:\n{string.Join('\n', missing)}");
    }

    /// <summary>The reverse: a row whose route the app does not serve (yet: GET and DELETE /platform/v1/devices are new).</summary>
    [Fact]
    public void Every_row_names_a_route_the_app_serves()
    {
        var routes = AppRoutes().ToHashSet();
        var unserved = TableRoutes().Where(row => !routes.Contains(row)).Select(row => $"{row.Method} {row.Pattern}").Order().ToList();
        Assert.True(unserved.Count == 0, $"rows of the authorization table for routes the app does not serve:\n{string.Join('\n', unserved)}");
    }

    private static IEnumerable<(string Method, string Pattern)> TableRoutes() =>
        AuthorizationTable.Rows.Select(r => (r.Method, Normalize(r.Pattern)))
            .Concat(AuthorizationTable.Anonymous.SelectMany(r => r.Methods.Split(',').Select(m => (m, Normalize(r.Pattern)))))
            .Distinct();

    private IEnumerable<(string Method, string Pattern)> AppRoutes() =>
        world.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => (m, Normalize(e.RoutePattern.RawText))))
            .Distinct();

    [Fact]
    public async Task The_database_fingerprint_sees_a_change_and_only_that()
    {
        await DatabaseFingerprint.QuietAsync(world.App);
        var before = await DatabaseFingerprint.TakeAsync(world.App);
        Assert.True(before.Count > 10, $"only {before.Count} tables fingerprinted");
        Assert.Empty(DatabaseFingerprint.Changed(before, await DatabaseFingerprint.TakeAsync(world.App)));

        await world.FreshSiteAsync();

        Assert.Equal(["\"sites\""], DatabaseFingerprint.Changed(before, await DatabaseFingerprint.TakeAsync(world.App)));
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Each_principal_gets_the_status_the_rules_give(string route, string principal, string expected)
    {
        var row = AuthorizationTable.Rows.Single(r => r.Name == route);
        var outcome = row.Expect(new Who(principal));
        await DatabaseFingerprint.QuietAsync(world.App);
        var target = row.Arrange is null ? null : await row.Arrange(world);
        var before = outcome.IsRefusal ? await DatabaseFingerprint.TakeAsync(world.App) : null;

        var answer = await row.Send(new Ctx(world, new Who(principal), world.Clients[principal], target));

        Assert.True(answer.Status == outcome.Status,
            $"{route} as {principal}: expected {expected}, got {answer.Status}: {answer.Body[..Math.Min(answer.Body.Length, 300)]}");
        if (outcome.Shown is { } shown)
        {
            var listed = row.Listed!(JsonDocument.Parse(answer.Body).RootElement).ToHashSet();
            foreach (var (mark, id) in row.Marks!(world))
                Assert.True(listed.Contains(id) == shown.Contains(mark), $"{route} as {principal}: {mark} should be {(shown.Contains(mark) ? "listed" : "hidden")}");
        }
        if (before is not null)
        {
            await DatabaseFingerprint.QuietAsync(world.App);
            var changed = DatabaseFingerprint.Changed(before, await DatabaseFingerprint.TakeAsync(world.App));
            Assert.True(changed.Length == 0, $"{route} as {principal} was refused ({answer.Status}) but changed {string.Join(", ", changed)}");
        }
    }

    [Theory]
    [MemberData(nameof(AnonymousRoutes))]
    public async Task Anonymous_routes_answer_without_a_token(string route, string reason)
    {
        var row = AuthorizationTable.Anonymous.Single(r => r.Name == route);
        // A row without a URL is not called: its reason (in the test's name) says why.
        if (row.Url is null) return;
        using var anonymous = world.App.Client();
        foreach (var method in row.Methods.Split(','))
        {
            using var request = new HttpRequestMessage(new HttpMethod(method == "*" ? "GET" : method), row.Url);
            if (method is "POST" or "PUT") request.Content = new ByteArrayContent([]) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
            using var response = await anonymous.SendAsync(request);
            Assert.True((int)response.StatusCode != StatusCodes.Status401Unauthorized, $"{method} {row.Url} ({reason}) answered 401 without a token");
        }
    }

    /// <summary>
    /// Route groups write <c>MapPost("/")</c> as <c>/platform/v1/sites/</c>: compared without the slash, and without
    /// parameter constraints (<c>{id:guid}</c> and <c>{id}</c> are one route to the table).
    /// </summary>
    private static string Normalize(string? pattern) =>
        pattern is null or "/" ? "/" : "/" + Regex.Replace(pattern.Trim('/'), @"\{([^}:]+):[^}]*\}", "{$1}");
}
