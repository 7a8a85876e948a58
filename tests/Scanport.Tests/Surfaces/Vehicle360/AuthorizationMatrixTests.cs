using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scanport.Tests.Surfaces.Platform;
using static Scanport.Tests.Surfaces.Vehicle360.V360Calls;

namespace Scanport.Tests.Surfaces.Vehicle360;

/// <summary>
/// Who may do what to a session at site A and its image: every caller against every operation, with the outcome
/// the surface's rules give (SiteAccess, users-only listings, reviewer/admin publishing, 404 across organizations).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AuthorizationMatrixTests(ScanportApp app)
{
    // Outcomes: a status code, or for GET /sessions "listed" / "hidden" (200, with or without the session).
    // Publishing answers 409 to callers who may publish: the image is still pending (never processed), and only
    // processed images can be published. 403/404 come before that check, so 409 means "allowed".
    private static readonly string[] Operations =
        ["GET /sessions/:id", "PATCH /sessions/:id", "GET /sessions", "POST /presign", "GET /images", "GET /images/:id", "POST /images/:id/publish", "POST /events"];

    private static readonly Dictionary<string, string[]> Expected = new()
    {
        // In the order of Operations: get, patch, list, presign, images, image, publish, events.
        ["device bound to site A"] = ["200", "200", "403", "200", "403", "403", "403", "201"],
        ["device unbound"] = ["200", "200", "403", "200", "403", "403", "403", "201"],
        ["operator of site A"] = ["200", "200", "listed", "200", "200", "200", "403", "201"],
        ["reviewer of site A"] = ["200", "200", "listed", "200", "200", "200", "409", "201"],
        ["admin"] = ["200", "200", "listed", "200", "200", "200", "409", "201"],
        ["operator of site B"] = ["404", "404", "hidden", "403", "404", "404", "403", "400"],
        ["admin of another org"] = ["404", "404", "hidden", "404", "404", "404", "404", "400"],
        ["API key (admin) of the org"] = ["200", "200", "listed", "200", "200", "200", "409", "201"],
    };

    public static TheoryData<string, string, string> Cells()
    {
        var cells = new TheoryData<string, string, string>();
        foreach (var (caller, outcomes) in Expected)
            for (var i = 0; i < Operations.Length; i++) cells.Add(caller, Operations[i], outcomes[i]);
        return cells;
    }

    /// <summary>The organizations, callers, session and image, made once for all cells.</summary>
    private sealed record World(Dictionary<string, string> Tokens, Guid Session, Guid EndedSession, Guid Image);

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static World? _world;

    private async Task<World> WorldAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _world ??= await BuildAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    private async Task<World> BuildAsync()
    {
        var tenant = await app.NewTenantAsync();
        var (siteA, siteB) = (await tenant.SiteAsync("A"), await tenant.SiteAsync("B"));
        var other = await app.NewTenantAsync();
        var tokens = new Dictionary<string, string>
        {
            ["device bound to site A"] = (await tenant.DeviceAsync(siteA)).Token,
            ["device unbound"] = (await tenant.DeviceAsync()).Token,
            ["operator of site A"] = (await tenant.UserAsync("operator", siteA)).Token,
            ["reviewer of site A"] = (await tenant.UserAsync("reviewer", siteA)).Token,
            ["admin"] = tenant.AdminToken,
            ["operator of site B"] = (await tenant.UserAsync("operator", siteB)).Token,
            ["admin of another org"] = other.AdminToken,
            ["API key (admin) of the org"] = (await tenant.ApiKeyAsync("admin")).Secret,
        };
        using var admin = tenant.Admin();
        var session = (await admin.CreateSessionAsync(siteA)).Id();
        // PATCH ends a session; callers end this one (the same end again is a retry, 200), so the other stays active.
        var ended = (await admin.CreateSessionAsync(siteA, vin: null, stock: "ENDED")).Id();
        var image = (await admin.PresignAsync(session, "a photo"u8.ToArray())).GetProperty("image_id").GetGuid();
        return new World(tokens, session, ended, image);
    }

    private static Task<HttpResponseMessage> CallAsync(HttpClient client, string operation, World world) => operation switch
    {
        "GET /sessions/:id" => client.GetAsync($"{Base}/sessions/{world.Session}"),
        "PATCH /sessions/:id" => client.PatchAsJsonAsync($"{Base}/sessions/{world.EndedSession}", new { status = "complete" }),
        "GET /sessions" => client.GetAsync($"{Base}/sessions?limit=100"),
        "POST /presign" => client.PostAsJsonAsync($"{Base}/presign", new
        {
            session_id = world.Session,
            file_name = "IMG_002.jpg",
            content_type = "image/jpeg",
            content_sha256 = Sha256("another photo"u8.ToArray()),
        }),
        "GET /images" => client.GetAsync($"{Base}/images?session_id={world.Session}"),
        "GET /images/:id" => client.GetAsync($"{Base}/images/{world.Image}"),
        "POST /images/:id/publish" => client.PostAsync($"{Base}/images/{world.Image}/publish", null),
        "POST /events" => client.PostAsJsonAsync($"{Base}/events", new { entity_type = "session", entity_id = world.Session, type = "upload_started" }),
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Each_caller_gets_the_outcome_its_role_and_sites_give(string caller, string operation, string expected)
    {
        var world = await WorldAsync();
        using var client = app.Client(world.Tokens[caller]);

        var response = await CallAsync(client, operation, world);

        switch (expected)
        {
            case "listed" or "hidden":
                var list = await response.Status(HttpStatusCode.OK);
                var ids = list.GetProperty("data").EnumerateArray().Select(s => s.Id()).ToList();
                Assert.Equal(expected == "listed", ids.Contains(world.Session));
                break;
            case "200":
                var body = await response.Status(HttpStatusCode.OK);
                Assert.Equal(JsonValueKind.Object, body.ValueKind);
                break;
            case "201":
                Assert.Equal(1, (await response.Status(HttpStatusCode.Created)).GetProperty("accepted").GetInt32());
                break;
            case "400":
                // Events name entities by id: one the caller cannot see is refused as a bad reference, like a missing one.
                await response.Invalid("entity_id");
                break;
            default:
                var status = (HttpStatusCode)int.Parse(expected, System.Globalization.CultureInfo.InvariantCulture);
                await response.Error(status, status switch
                {
                    HttpStatusCode.Forbidden => "FORBIDDEN",
                    HttpStatusCode.NotFound => "NOT_FOUND",
                    HttpStatusCode.Conflict => "CONFLICT",
                    _ => throw new ArgumentOutOfRangeException(nameof(expected), expected, null),
                });
                break;
        }
    }
}
