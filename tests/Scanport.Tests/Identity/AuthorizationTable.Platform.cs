using Scanport.Tests.Surfaces.Platform;

namespace Scanport.Tests.Identity;

/// <summary>The platform API (rules 3 to 5) and the body-scan surface (rule 6).</summary>
public static partial class AuthorizationTable
{
    private const string PB = PlatformCalls.Base;

    private static Dictionary<string, string> SitesOfT(AuthorizationWorld w) => new() { ["A"] = w.SiteA.ToString(), ["B"] = w.SiteB.ToString() };

    private static IEnumerable<Row> Platform =>
    [
        R("GET", $"{PB}/me", Everyone(200), Get(_ => $"{PB}/me")),
        // Only admins of the installation's bootstrap organization create organizations: neither T nor O is it.
        R("POST", $"{PB}/organizations", _ => 403, Post(_ => $"{PB}/organizations",
            _ => new { name = Unique("org"), admin_email = PlatformCalls.NewEmail(), admin_password = "tenant-admin-password" })),
        R("GET", $"{PB}/organizations", Admins(200), Get(_ => $"{PB}/organizations")),
        R("PATCH", $"{PB}/organizations/current", Admins(200), Patch(_ => $"{PB}/organizations/current", _ => new { open_enrollment = false })),

        // Rule 4: sites.
        R("POST", $"{PB}/sites", Admins(201), Post(_ => $"{PB}/sites", _ => new { name = Unique("site") })),
        R("GET", $"{PB}/sites", w => Show(w.SeesA ? "A" : null, w.SeesB ? "B" : null), AllPages($"{PB}/sites"))
            with { Marks = SitesOfT, Listed = Items },
        R("GET", $"{PB}/sites/{{id:guid}}", ReadA(200), Get(c => $"{PB}/sites/{c.W.SiteA}")),
        R("DELETE", $"{PB}/sites/{{id:guid}}", AdminsOnT(204), Delete(c => $"{PB}/sites/{c.T.Id}")) with { Arrange = w => w.FreshSiteAsync() },

        // Rule 3: users, API keys, devices and enrollment codes, storage credentials.
        R("POST", $"{PB}/users", Admins(201), Post(_ => PlatformCalls.Users,
            _ => new { email = PlatformCalls.NewEmail(), name = "new", role = "operator", password = PlatformCalls.UserPassword })),
        R("GET", $"{PB}/users", Admins(200), Get(_ => PlatformCalls.Users)),
        R("GET", $"{PB}/users/{{id:guid}}", AdminsOnT(200), Get(c => $"{PlatformCalls.Users}/{c.W.Ids["OU"]}")),
        R("PATCH", $"{PB}/users/{{id:guid}}", AdminsOnT(200), Patch(c => $"{PlatformCalls.Users}/{c.T.Id}", _ => new { name = "renamed" }))
            with { Arrange = w => w.FreshUserAsync() },
        R("DELETE", $"{PB}/users/{{id:guid}}", AdminsOnT(204), Delete(c => $"{PlatformCalls.Users}/{c.T.Id}")) with { Arrange = w => w.FreshUserAsync() },
        R("POST", $"{PB}/api-keys", Admins(201), Post(_ => $"{PB}/api-keys", _ => new { name = "new key", role = "operator" })),
        R("GET", $"{PB}/api-keys", Admins(200), Get(_ => $"{PB}/api-keys")),
        R("DELETE", $"{PB}/api-keys/{{id:guid}}", AdminsOnT(204), Delete(c => $"{PB}/api-keys/{c.T.Id}")) with { Arrange = w => w.FreshApiKeyAsync() },
        R("POST", $"{PB}/devices/enrollment-codes", Admins(201), Post(_ => $"{PB}/devices/enrollment-codes", _ => new { expires_in = 3600 })),
        R("GET", $"{PB}/devices", Admins(200), Get(_ => $"{PB}/devices")),
        R("DELETE", $"{PB}/devices/{{id:guid}}", AdminsOnT(204), Delete(c => $"{PB}/devices/{c.T.Id}")) with { Arrange = w => w.FreshDeviceAsync() },
        R("POST", $"{PB}/storage/credentials", Admins(200), Post(_ => $"{PB}/storage/credentials", _ => new { prefix = "tools/" })),

        // Rule 5: projects (P, or a fresh project with P's members for the routes that change or delete it).
        R("POST", $"{PB}/projects", ProjectCreators(201), Post(_ => $"{PB}/projects", _ => new { name = Unique("project") })),
        R("GET", $"{PB}/projects", ListP, AllPages($"{PB}/projects"))
            with { Marks = w => new() { ["P"] = w.P.Id.ToString() }, Listed = Items },
        R("GET", $"{PB}/projects/{{id:guid}}", ReadP(200), Get(c => $"{PB}/projects/{c.W.P.Id}")),
        R("PATCH", $"{PB}/projects/{{id:guid}}", ChangeP(200), Patch(c => $"{PB}/projects/{c.T.Id}", _ => new { description = "changed" }))
            with { Arrange = w => w.FreshProjectAsync() },
        R("DELETE", $"{PB}/projects/{{id:guid}}", ChangeP(204), Delete(c => $"{PB}/projects/{c.T.Id}")) with { Arrange = w => w.FreshProjectAsync() },
        R("PATCH", $"{PB}/projects/{{id:guid}}", ChangeOwnP(200), Patch(c => $"{PB}/projects/{c.T.Id}", _ => new { description = "changed" }))
            with { Variant = "created by OU", Arrange = w => w.FreshProjectAsync("OU") },
        R("DELETE", $"{PB}/projects/{{id:guid}}", ChangeOwnP(204), Delete(c => $"{PB}/projects/{c.T.Id}"))
            with { Variant = "created by OU", Arrange = w => w.FreshProjectAsync("OU") },
        R("POST", $"{PB}/projects/{{id:guid}}/members", ChangeP(200), Post(c => $"{PB}/projects/{c.T.Id}/members", c => new { user_id = c.W.Ids["OUX"] }))
            with { Arrange = w => w.FreshProjectAsync() },
        R("DELETE", $"{PB}/projects/{{id:guid}}/members/{{userId:guid}}", ChangeP(204), Delete(c => $"{PB}/projects/{c.T.Id}/members/{c.W.Ids["RU"]}"))
            with { Arrange = w => w.FreshProjectAsync() },
        R("GET", $"{PB}/projects/{{id:guid}}/files", ReadP(200), Get(c => $"{PB}/projects/{c.W.P.Id}/files")),
        R("GET", $"{PB}/projects/{{id:guid}}/files/{{fileId}}/url", ReadP(200), Get(c => $"{PB}/projects/{c.W.P.Id}/files/{c.W.StoredSnapshot}/url")),
    ];

    private const string BS = "/api/scan";

    /// <summary>Scan S names project P, S2 site A; each read and change route has a row for each.</summary>
    private static IEnumerable<Row> BodyScan =>
    [
        // Without a project or site: every kind but reviewers (O's in O).
        R("POST", $"{BS}/init", w => w.IsReviewer ? 403 : 201, Post(_ => $"{BS}/init", _ => new { sessionId = "new" })) with { Variant = "no project or site" },
        R("POST", $"{BS}/init", StartNaming(w => w.SeesP), Post(_ => $"{BS}/init", c => new { sessionId = "new", projectId = c.W.P.Id })) with { Variant = "naming P" },
        R("POST", $"{BS}/init", StartNaming(w => w.SeesA), Post(_ => $"{BS}/init", c => new { sessionId = "new", siteId = c.W.SiteA })) with { Variant = "naming site A" },
        R("GET", $"{BS}/scans", w => Show(w.SeesP ? "S" : null, w.SeesA ? "S2" : null), AllPages($"{BS}/scans", "scans"))
            with { Marks = w => new() { ["S"] = w.ScanS, ["S2"] = w.ScanS2 }, Listed = page => page.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("scanId").GetString()!) },
        .. ScanReads("S", ReadP, c => c.W.ScanS),
        .. ScanReads("S2", ReadA, c => c.W.ScanS2),
        .. ScanChanges("S", ContributeP, onSite: false),
        .. ScanChanges("S2", ContributeA, onSite: true),
    ];

    private static IEnumerable<Row> ScanReads(string scan, Func<Outcome, Func<Who, Outcome>> rule, Func<Ctx, string> id) =>
    [
        R("GET", $"{BS}/status", rule(200), Get(c => $"{BS}/status?scanId={id(c)}")) with { Variant = scan },
        R("GET", $"{BS}/frames", rule(200), Get(c => $"{BS}/frames?scanId={id(c)}")) with { Variant = scan },
        R("GET", $"{BS}/status/stream", rule(200), c => EventStream(c, $"{BS}/status/stream?scanId={id(c)}")) with { Variant = scan },
    ];

    private static IEnumerable<Row> ScanChanges(string scan, Func<Outcome, Func<Who, Outcome>> rule, bool onSite)
    {
        object Frame(int n) => new { frameNumber = n, userInFrame = true, confidence = 0.9, stabilityScore = 0.8, iou = 0.85, isValid = true };
        var rows = new[]
        {
            R("POST", $"{BS}/frames", rule(201), Post(_ => $"{BS}/frames", c => new
            {
                scanId = c.T.Id, frameNumber = 1, userInFrame = true, confidence = 0.9, stabilityScore = 0.8, iou = 0.85, isValid = true,
            })),
            R("POST", $"{BS}/frames/batch", rule(201), Post(_ => $"{BS}/frames/batch", c => new { scanId = c.T.Id, frames = new[] { Frame(1), Frame(2) } })),
            R("POST", $"{BS}/lock", rule(200), Post(_ => $"{BS}/lock", c => new { scanId = c.T.Id })),
            R("POST", $"{BS}/complete", rule(200), Post(_ => $"{BS}/complete", c => new { scanId = c.T.Id })),
        };
        return rows.Select(r => r with { Variant = $"fresh {scan}", Arrange = w => w.FreshScanAsync(onSite) });
    }

    /// <summary>Opens a Server-Sent Events stream and reads only its status: a stream the caller may read never ends by itself.</summary>
    private static async Task<Answer> EventStream(Ctx c, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await c.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync();
        return new((int)response.StatusCode, body);
    }
}
