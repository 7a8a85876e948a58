using System.Globalization;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Scanport.Tests.Surfaces.Reconstruction3D;
using Scanport.Tests.Surfaces.Vehicle360;

namespace Scanport.Tests.Identity;

/// <summary>ScanAce (rule 5), 360 imaging (rule 7), reconstruction (rules 5 and 8), and the routes that take no bearer token.</summary>
public static partial class AuthorizationTable
{
    private const string SA = "/scanace";

    private static IEnumerable<Row> ScanAce =>
    [
        R("GET", $"{SA}/organizations/me/projects", ListP, Get(_ => $"{SA}/organizations/me/projects?limit=100"))
            with { Marks = w => new() { ["P"] = w.P.ObjectId }, Listed = Data },
        R("GET", $"{SA}/projects/{{projectId}}", ReadP(200), Get(c => $"{SA}/projects/{c.W.P.ObjectId}")),
        R("GET", $"{SA}/projects/{{projectId}}/snapshots", ReadP(200), Get(c => $"{SA}/projects/{c.W.P.ObjectId}/snapshots")),
        R("POST", $"{SA}/projects/{{projectId}}/snapshots", ContributeP(200), Post(c => $"{SA}/projects/{c.W.P.ObjectId}/snapshots",
            _ => new { name = "snapshot", utm_zone_nr = 10, utm_hemisphere = "N" })),
        R("GET", $"{SA}/snapshots/{{snapshotId}}", ReadP(200), Get(c => $"{SA}/snapshots/{c.W.Snapshot}")),
        R("GET", $"{SA}/snapshots/{{snapshotId}}/s3-upload-credentials", ContributeP(200), Get(c => $"{SA}/snapshots/{c.W.Snapshot}/s3-upload-credentials")),
        R("POST", $"{SA}/snapshots/{{snapshotId}}/commit", ContributeP(200), Post(c => $"{SA}/snapshots/{c.T.Id}/commit", c => new { laz_s3_key = c.T.Key }))
            with { Arrange = w => w.FreshUploadedSnapshotAsync() },
    ];

    private const string V = V360Calls.Base;

    /// <summary>Rule 7: the session S and its image on site A, an ended session on A, and SB on site B (each of S and SB has an audit event).</summary>
    private static IEnumerable<Row> Vehicle360 =>
    [
        // Creating a session on a site the caller has no access to is refused like presigning into one (403); O: 404.
        R("POST", $"{V}/sessions", w => w.OtherOrg ? 404 : w.SeesA ? 201 : 403, Post(_ => $"{V}/sessions", c => new
        {
            site_id = c.W.SiteA, vehicle = new { vin = "1HGCM82633A123456", stock = "STK-9" }, mode = "studio360",
            shot_list = new { studio360 = new { frame_count = 24 }, stills = new[] { "front_3q" } },
        })),
        R("GET", $"{V}/sessions", w => w.IsDevice ? 403 : Show(w.SeesA ? "S" : null), Get(_ => $"{V}/sessions?limit=100"))
            with { Marks = w => new() { ["S"] = w.Session.ToString() }, Listed = Data },
        R("GET", $"{V}/sessions/{{id}}", ReadA(200), Get(c => $"{V}/sessions/{c.W.Session}")),
        // The ended session: ending it the same way again is a retry (200) that changes nothing.
        R("PATCH", $"{V}/sessions/{{id}}", ReadA(200), Patch(c => $"{V}/sessions/{c.W.EndedSession}", _ => new { status = "complete" })),
        R("POST", $"{V}/presign", w => w.OtherOrg ? 404 : w.SeesA ? 200 : 403, Post(_ => $"{V}/presign", c => new
        {
            session_id = c.W.Session, file_name = "IMG_002.jpg", content_type = "image/jpeg", content_sha256 = V360Calls.Sha256("another photo"u8.ToArray()),
        })),
        R("GET", $"{V}/images", UserImages, Get(c => $"{V}/images?session_id={c.W.Session}")),
        R("GET", $"{V}/images/{{id}}", UserImages, Get(c => $"{V}/images/{c.W.Image}")),
        // The image is pending, never processed: 409 comes after the checks, so it means "allowed".
        R("POST", $"{V}/images/{{id}}/publish", w => !(w.IsReviewer || w.IsAdmin) ? 403 : w.OtherOrg ? 404 : w.SeesA ? new Outcome(409, "pending image: allowed") : 404,
            Post(c => $"{V}/images/{c.W.Image}/publish")),
        // Events name their entity in the body: one the caller cannot see is refused as a bad reference, storing nothing.
        R("POST", $"{V}/events", w => w.SeesA ? 201 : new Outcome(400, "entity not visible: refused", RefusedByData: true),
            Post(_ => $"{V}/events", c => new { entity_type = "session", entity_id = c.W.Session, type = "upload_started" })),
        R("GET", $"{V}/events", w => w.IsDevice || w.IsOperator ? 403 : Show(w.SeesA ? "S" : null, w.SeesB ? "SB" : null),
            Get(_ => $"{V}/events?entity_type=session&limit=100"))
            with { Marks = w => new() { ["S"] = w.Session.ToString(), ["SB"] = w.SessionB.ToString() }, Listed = EventEntities },
    ];

    private static Func<Who, Outcome> OwnUpload(Outcome ok) => w => w.Name == "OU" ? ok : 404;

    private static HttpRequestMessage Tus(HttpMethod method, string url, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        foreach (var (name, value) in headers) request.Headers.Add(name, value);
        return request;
    }

    // User tokens only: devices 403 (on T's ids O's device gets 404 like every other O principal).
    private static Outcome UserImages(Who w) => w.IsDevice ? 403 : w.SeesA ? 200 : 404;

    private static IEnumerable<string> EventEntities(System.Text.Json.JsonElement page) =>
        page.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("entity_id").GetString()!);

    private const string RB = ReconCalls.Base;

    /// <summary>Rule 5 on integer ids: P (two frames), PW (P's members; uploads and its finished job J), fresh projects for PUT and DELETE.</summary>
    private static IEnumerable<Row> Reconstruction =>
    [
        // Rule 8: as today's code answers it: a user's account; API keys and devices have none (403).
        R("GET", $"{RB}/auth/me", w => w.IsUser ? 200 : new Outcome(403, "needs a user's token"), Get(_ => $"{RB}/auth/me")),
        R("GET", $"{RB}/projects", ListP, Get(_ => $"{RB}/projects?limit=1000"))
            with { Marks = w => new() { ["P"] = w.P.Number.ToString(CultureInfo.InvariantCulture) }, Listed = Array },
        R("POST", $"{RB}/projects", ProjectCreators(201), Post(_ => $"{RB}/projects", _ => new { name = Unique("recon"), description = "new" })),
        R("GET", $"{RB}/projects/{{id}}", ReadP(200), Get(c => $"{RB}/projects/{c.W.P.Number}")),
        R("PUT", $"{RB}/projects/{{id}}", ChangeP(200), Put(c => $"{RB}/projects/{c.T.Number}", _ => new { description = "changed" }))
            with { Arrange = w => w.FreshProjectAsync() },
        R("DELETE", $"{RB}/projects/{{id}}", ChangeP(200), Delete(c => $"{RB}/projects/{c.T.Number}")) with { Arrange = w => w.FreshProjectAsync() },
        R("PUT", $"{RB}/projects/{{id}}", ChangeOwnP(200), Put(c => $"{RB}/projects/{c.T.Number}", _ => new { description = "changed" }))
            with { Variant = "created by OU", Arrange = w => w.FreshProjectAsync("OU") },
        R("DELETE", $"{RB}/projects/{{id}}", ChangeOwnP(200), Delete(c => $"{RB}/projects/{c.T.Number}"))
            with { Variant = "created by OU", Arrange = w => w.FreshProjectAsync("OU") },
        R("POST", $"{RB}/projects/{{id}}/start-reconstruction", ContributeP(new Outcome(400, "fewer than 3 frames: allowed")),
            Post(c => $"{RB}/projects/{c.W.P.Number}/start-reconstruction?quality=low")),
        R("GET", $"{RB}/projects/{{id}}/status", ReadP(200), Get(c => $"{RB}/projects/{c.W.P.Number}/status")),
        R("POST", $"{RB}/files/upload/video", ContributeP(200), c => Answer.Of(c.Client.UploadAsync(c.W.PW.Number,
            Path.Combine(RepoPaths.Shared, "data", "scenes", "orbit-30", "frame_003.jpg"), contentType: "image/jpeg"))),
        R("POST", $"{RB}/files/extract-frames", ContributeP(new Outcome(400, "no video uploaded: allowed")), PostForm(_ => $"{RB}/files/extract-frames",
            c => new() { ["project_id"] = c.W.P.Number.ToString(CultureInfo.InvariantCulture), ["interval"] = "1" })),
        R("GET", $"{RB}/files/download/{{project_id}}/{{file_type}}", ReadP(200), Get(c => $"{RB}/files/download/{c.W.P.Number}/frames")),
        R("GET", $"{RB}/files/list/{{project_id}}", ReadP(200), Get(c => $"{RB}/files/list/{c.W.P.Number}")),
        // Resumable uploads (tus): starting one is adding work to a project; an upload is then its starter's alone (OU's here).
        R("OPTIONS", $"{RB}/files/uploads", Everyone(204), c => Answer.Of(c.Client.SendAsync(new HttpRequestMessage(HttpMethod.Options, $"{RB}/files/uploads")))),
        R("POST", $"{RB}/files/uploads", ContributeP(201), c => Answer.Of(c.Client.SendAsync(Tus(HttpMethod.Post, $"{RB}/files/uploads",
            ("Upload-Length", "1000"), ("Upload-Metadata", $"project_id {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{c.W.PW.Number}"))}"))))),
        R("HEAD", $"{RB}/files/uploads/{{upload_id}}", OwnUpload(200), c => Answer.Of(c.Client.SendAsync(Tus(HttpMethod.Head, c.T.Id))))
            with { Arrange = w => w.FreshReconUploadAsync(finished: false) },
        R("PATCH", $"{RB}/files/uploads/{{upload_id}}", OwnUpload(204), c =>
        {
            var patch = Tus(HttpMethod.Patch, c.T.Id, ("Upload-Offset", "0"));
            patch.Content = new ByteArrayContent(Convert.FromBase64String(c.T.Key!));
            patch.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/offset+octet-stream");
            return Answer.Of(c.Client.SendAsync(patch));
        }) with { Arrange = w => w.FreshReconUploadAsync(finished: false) },
        R("DELETE", $"{RB}/files/uploads/{{upload_id}}", OwnUpload(204), c => Answer.Of(c.Client.SendAsync(Tus(HttpMethod.Delete, c.T.Id))))
            with { Arrange = w => w.FreshReconUploadAsync(finished: false) },
        R("POST", $"{RB}/files/uploads/{{upload_id}}/complete", OwnUpload(200), c => Answer.Of(c.Client.PostAsync($"{c.T.Id}/complete", null)))
            with { Arrange = w => w.FreshReconUploadAsync(finished: true) },
        R("GET", $"{RB}/jobs", w => Show(w.SeesP ? "J" : null), Get(c => $"{RB}/jobs?project_id={c.W.PW.Number}"))
            with { Marks = w => new() { ["J"] = w.Job.ToString(CultureInfo.InvariantCulture) }, Listed = Array },
        R("GET", $"{RB}/jobs/{{id}}", ReadP(200), Get(c => $"{RB}/jobs/{c.W.Job}")),
        R("POST", $"{RB}/jobs/{{id}}/cancel", ContributeP(new Outcome(400, "job already finished: allowed")), Post(c => $"{RB}/jobs/{c.W.Job}/cancel")),
        R("GET", $"{RB}/jobs/{{id}}/logs", ReadP(200), Get(c => $"{RB}/jobs/{c.W.Job}/logs")),
        R("GET", $"{RB}/jobs/project/{{project_id}}/status", ReadP(200), Get(c => $"{RB}/jobs/project/{c.W.PW.Number}/status")),
        // The socket answers 426 to a plain GET before it looks at the project, so the cell connects for real.
        R("*", "/ws/jobs/{project_id}", ReadP(101), JobSocket),
    ];

    private static async Task<Answer> JobSocket(Ctx c)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Authorization", c.Client.DefaultRequestHeaders.Authorization!.ToString());
        var uri = new UriBuilder(c.W.App.BaseAddress) { Scheme = "ws", Path = $"/ws/jobs/{c.W.P.Number}" }.Uri;
        try
        {
            await socket.ConnectAsync(uri, CancellationToken.None);
        }
        catch (WebSocketException e)
        {
            return new((int)socket.HttpStatusCode, e.Message);
        }
        var status = (int)socket.HttpStatusCode;
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        return new(status, "");
    }

    /// <summary>Routes that take no bearer token. Called without one (every method listed), they must not answer 401.</summary>
    public static IEnumerable<AnonymousRow> Anonymous =>
    [
        new("*", "/healthz", "liveness, for load balancers", "/healthz"),
        new("*", "/readyz", "readiness, for load balancers", "/readyz"),
        new("*", "/metrics", "the Prometheus scrape, only with Telemetry:Prometheus:Enabled (and only on Telemetry:Prometheus:Port when set): "
            + "counts and durations by surface, route template, queue and outcome, never an id or a tenant's data", "/metrics"),
        new("GET", "/openapi/{documentName}.json", "the published OpenAPI documents", "/openapi/platform.json"),
        new("GET", "/docs/{documentName?}", "the interactive API docs", "/docs"),
        new("GET", "/docs/scalar.js", "the API docs' script", "/docs/scalar.js"),
        new("GET", "/docs/scalar.aspnetcore.js", "the API docs' script", "/docs/scalar.aspnetcore.js"),
        new("GET", "/docs/favicon.svg", "the API docs' icon", "/docs/favicon.svg"),
        new("POST", "/platform/v1/oauth/token", "signs callers in: it is how a token is had", "/platform/v1/oauth/token"),
        new("POST", "/api/v1/auth/register", "the reconstruction document's self-registration", "/api/v1/auth/register"),
        new("POST", "/api/v1/auth/token", "the reconstruction document's sign-in", "/api/v1/auth/token"),
        new("POST", "/aps/api/v1/auth/register", "the APS integration document's self-registration (rate-limited per address)", "/aps/api/v1/auth/register"),
        new("POST", "/aps/api/v1/auth/login", "the APS integration document's sign-in (form or JSON)", "/aps/api/v1/auth/login"),
        new("GET", "/aps/api/v1/auth/aps/callback", "where APS's sign-in sends the browser back: the one-use state of a user's authorization is the "
            + "credential", "/aps/api/v1/auth/aps/callback"),
        new("POST", "/aps/api/v1/webhooks/translation-status", "APS's translation callbacks: the x-adsk-signature HMAC of the body is the credential "
            + "(401 without it)", null),
        new("POST", "/v1/auth/device", "device enrollment with a one-time code (refresh with the device's own token)", "/v1/auth/device"),
        new("POST", "/v1/auth/login", "OIDC sign-in: the id_token in the body is the credential", "/v1/auth/login"),
        new("POST", "/authentication/v2/token", "APS Authentication v2: signs OAuth clients (API keys) in; OpenIddict refuses a bad request with 400",
            "/authentication/v2/token"),
        new("GET,POST", "/authentication/v2/authorize", "APS three-legged sign-in: the sign-in and consent pages (a cookie, not a bearer token)",
            "/authentication/v2/authorize"),
        new("POST", "/authentication/v2/signin", "APS three-legged sign-in: the sign-in form's target (email and password, antiforgery)",
            "/authentication/v2/signin"),
        new("GET", "/authentication/v2/logout", "APS logout: forgets the sign-in cookie", "/authentication/v2/logout"),
        new("GET,HEAD", "/modelderivative/v2/designdata/signeddownload", "APS derivative download URL: its signed policy (query or CloudFront cookies) is "
            + "the credential; 403 without it", "/modelderivative/v2/designdata/signeddownload"),
        new("GET", "/aps/viewer/{urn}", "Scanport's model viewer page: holds no data; its script loads the model with the APS token of its URL "
            + "fragment", "/aps/viewer/authz-probe"),
        new("GET", "/aps/viewer/assets/{**path}", "the model viewer's scripts and styles (three.js among them)", "/aps/viewer/assets/viewer.js"),
        new("GET", "/", "sends a browser (Accept: text/html) to the console; anything else gets a 404", "/"),
        new("GET", "/console/{**path}", "the web console's files, and its index.html for the app's pages: holds no data; its calls to the APIs "
            + "carry the person's token", "/console/projects/authz-probe"),
        new("POST", "/v1/storage/events", "storage webhook: its own shared secret as the bearer (401 without it, or 404 while unset)", null),
        new("POST", "/", "STS AssumeRole of the embedded S3 endpoint: AWS Signature V4, its errors are STS's XML", "/"),
        new("*", "/{bucket}/{**key}", "SigV4-signed requests to a bucket that is not configured: S3's NoSuchBucket; an unsigned request never "
            + "matches it, so it is not called here (Storage/RefusalTests signs one)", null),
        .. Buckets.SelectMany(bucket => new AnonymousRow[]
        {
            new("GET,HEAD,POST,PUT,DELETE", $"/{bucket}", "embedded S3 bucket: AWS Signature V4, refusals are S3's 403 AccessDenied", $"/{bucket}"),
            new("GET,HEAD,POST,PUT,DELETE", $"/{bucket}/{{**key}}", "embedded S3 object: AWS Signature V4, refusals are S3's 403 AccessDenied", $"/{bucket}/authz-probe"),
        }),
    ];

    /// <summary>The embedded store's buckets in the test server (Storage:Buckets defaults).</summary>
    private static readonly string[] Buckets = ["scanport", "sodex-integrations"];
}
