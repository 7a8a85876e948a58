using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scanport.Tests.Surfaces.Platform;
using Scanport.Tests.Surfaces.BodyScan;
using Scanport.Tests.Surfaces.ApsIntegration;
using Scanport.Tests.Surfaces.Reconstruction3D;
using Scanport.Tests.Surfaces.ScanAce;
using Scanport.Tests.Surfaces.Vehicle360;

namespace Scanport.Tests.Identity;

/// <summary>A platform project as each surface names it: UUID (platform), number (reconstruction), ObjectId (ScanAce).</summary>
public sealed record ProjectRef(Guid Id, long Number, string ObjectId);

/// <summary>A target made for one call (routes that change or destroy it): an id, a number, a storage key.</summary>
public sealed record Fresh(string Id, long Number = 0, string? Key = null);

/// <summary>
/// The principals and entities every cell of the authorization table acts on, made once through the public APIs, on a
/// server of its own: the table fingerprints the whole database around each refused call, which only means something
/// when no other test's requests or background jobs write to it meanwhile.
/// </summary>
public sealed class AuthorizationWorld : IAsyncLifetime
{
    /// <summary>T's principals, then O's (the same kinds, primed). OUX is T's operator of site B, member of nothing.</summary>
    public static readonly string[] Principals = ["AU", "AK", "OU", "RU", "OUX", "OK", "RK", "D", "AU'", "AK'", "OU'", "RU'", "OK'", "RK'", "D'"];

    private static readonly string[] Frames = Enumerable.Range(0, 3)
        .Select(i => Path.Combine(RepoPaths.Shared, "data", "scenes", "orbit-30", $"frame_{i:000}.jpg")).ToArray();

    public ScanportApp App { get; private set; } = null!;
    public Tenant T { get; private set; } = null!;
    public Tenant O { get; private set; } = null!;
    public Dictionary<string, HttpClient> Clients { get; } = [];
    /// <summary>The id of each principal: user id, API key id or device id.</summary>
    public Dictionary<string, Guid> Ids { get; } = [];
    public Guid SiteA { get; private set; }
    public Guid SiteB { get; private set; }
    /// <summary>The project every surface's cells work on: cloud-only, two photo frames (a reconstruction needs three).</summary>
    public ProjectRef P { get; private set; } = null!;
    /// <summary>A project with P's members for uploads (they add frames) and its one ended reconstruction job J.</summary>
    public ProjectRef PW { get; private set; } = null!;
    public long Job { get; private set; }
    /// <summary>Body scans made by AU: S naming project P, S2 naming site A.</summary>
    public string ScanS { get; private set; } = "";
    public string ScanS2 { get; private set; } = "";
    public string Snapshot { get; private set; } = "";
    /// <summary>A snapshot of P whose file is stored and whose ingestion has ended: a project file with a URL.</summary>
    public string StoredSnapshot { get; private set; } = "";
    /// <summary>360 sessions on site A (one active with a pending image, one ended) and on site B; each has an audit event.</summary>
    public Guid Session { get; private set; }
    public Guid EndedSession { get; private set; }
    public Guid SessionB { get; private set; }
    public Guid Image { get; private set; }

    public HttpClient Admin => Clients["AU"];

    public async Task InitializeAsync()
    {
        App = await ScanportApp.StartAsync(new Dictionary<string, string>
        {
            // Every cell calls as many principals; the per-token and per-address limits are not under test here.
            ["Surfaces:Vehicle360:PerTokenPerMinute"] = "100000",
            ["Surfaces:Vehicle360:PresignPerMinute"] = "100000",
            ["Surfaces:Vehicle360:EventsPerMinute"] = "100000",
            ["Surfaces:Vehicle360:DeviceAuthPerMinute"] = "100000",
            // The scrape endpoint exists only when enabled; the table lists it.
            ["Telemetry:Prometheus:Enabled"] = "true",
        });
        (T, O) = (await App.NewTenantAsync(), await App.NewTenantAsync());
        (SiteA, SiteB) = (await T.SiteAsync("A"), await T.SiteAsync("B"));
        await PrincipalsAsync(T, "", SiteA, SiteB);
        await PrincipalsAsync(O, "'", await O.SiteAsync("A"), null);
        await ProjectAsync("'");

        P = await ProjectAsync("");
        foreach (var frame in Frames[..2]) await (await Admin.UploadAsync(P.Number, frame, contentType: "image/jpeg")).Status(HttpStatusCode.OK);
        PW = await ProjectAsync("");
        foreach (var frame in Frames) await (await Admin.UploadAsync(PW.Number, frame, contentType: "image/jpeg")).Status(HttpStatusCode.OK);
        var started = await (await Admin.PostAsync($"{ReconCalls.Base}/projects/{PW.Number}/start-reconstruction?quality=low", null)).Status(HttpStatusCode.OK);
        Job = started.GetProperty("job_id").GetInt64();
        // Its outcome does not matter, only that it has ended: cancelled at once (or already failed where COLMAP is missing).
        (await Admin.PostAsync($"{ReconCalls.Base}/jobs/{Job}/cancel", null)).Dispose();
        await Admin.WaitForJobAsync(Job);

        await ApsIntegrationAsync();

        ScanS = await ScanAsync(new { sessionId = "S", projectId = P.Id });
        ScanS2 = await ScanAsync(new { sessionId = "S2", siteId = SiteA });
        Snapshot = (await Admin.SnapshotAsync(P.ObjectId)).GetProperty("id").GetString()!;
        var stored = await FreshUploadedSnapshotAsync();
        await (await Admin.PostJsonAsync($"/scanace/snapshots/{stored.Id}/commit", new { laz_s3_key = stored.Key })).Status(HttpStatusCode.OK);
        await Admin.WaitForIngestionAsync(stored.Id);
        StoredSnapshot = stored.Id;

        Session = (await Admin.CreateSessionAsync(SiteA)).Id();
        EndedSession = (await Admin.CreateSessionAsync(SiteA, vin: null, stock: "ENDED")).Id();
        SessionB = (await Admin.CreateSessionAsync(SiteB, vin: null, stock: "B")).Id();
        Image = (await Admin.PresignAsync(Session, "a photo"u8.ToArray())).GetProperty("image_id").GetGuid();
        foreach (var session in new[] { Session, SessionB })
            await (await Admin.PostAsJsonAsync($"{V360Calls.Base}/events", new { entity_type = "session", entity_id = session, type = "upload_started" }))
                .Status(HttpStatusCode.Created);
    }

    private async Task PrincipalsAsync(Tenant tenant, string mark, Guid siteA, Guid? siteB)
    {
        Add("AU" + mark, await tenant.AdminIdAsync(), tenant.AdminToken);
        Add("AK" + mark, await tenant.ApiKeyAsync("admin"));
        Add("OU" + mark, await tenant.UserAsync("operator", siteA));
        Add("RU" + mark, await tenant.UserAsync("reviewer", siteA));
        if (siteB is { } b) Add("OUX" + mark, await tenant.UserAsync("operator", b));
        Add("OK" + mark, await tenant.ApiKeyAsync("operator"));
        Add("RK" + mark, await tenant.ApiKeyAsync("reviewer"));
        Add("D" + mark, await tenant.DeviceAsync(siteA));
    }

    private void Add(string principal, (Guid Id, string Token) identity) => Add(principal, identity.Id, identity.Token);

    private void Add(string principal, Guid id, string token)
    {
        Ids[principal] = id;
        Clients[principal] = App.Client(token);
    }

    /// <summary>
    /// A project created by <paramref name="creator"/> (the organization's admin unless named) with OU and RU as members,
    /// and OK, RK and D added by the admin through POST .../members (refused until members may be API keys and devices:
    /// not asserted here). Its reconstruction side is made by reading it once, so that no later read (a refused one
    /// included) writes that row. Its ScanAce ObjectId is looked up only when asked for (listings are paged).
    /// </summary>
    public async Task<ProjectRef> ProjectAsync(string mark, string? creator = null, bool withObjectId = true)
    {
        var admin = Clients["AU" + mark];
        var name = $"project-{Guid.NewGuid():N}";
        var created = await (await Clients[(creator ?? "AU") + mark].PostAsJsonAsync($"{PlatformCalls.Base}/projects",
            new { name, cloud_only = true, member_ids = new[] { Ids["OU" + mark], Ids["RU" + mark] } })).Status(HttpStatusCode.Created);
        var id = created.Id();
        foreach (var member in new[] { "OK", "RK", "D" })
            (await admin.PostAsJsonAsync($"{PlatformCalls.Base}/projects/{id}/members", new { user_id = Ids[member + mark] })).Dispose();
        var recon = await (await admin.GetAsync($"{ReconCalls.Base}/projects?limit=1000")).Status(HttpStatusCode.OK);
        var number = recon.EnumerateArray().Single(p => p.GetProperty("name").GetString() == name).GetProperty("id").GetInt64();
        await (await admin.GetAsync($"{ReconCalls.Base}/projects/{number}")).Status(HttpStatusCode.OK);
        if (!withObjectId) return new ProjectRef(id, number, "");
        var scanace = await (await admin.GetAsync("/scanace/organizations/me/projects?limit=100")).Status(HttpStatusCode.OK);
        var objectId = scanace.GetProperty("data").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name).GetProperty("id").GetString()!;
        return new ProjectRef(id, number, objectId);
    }

    private async Task<string> ScanAsync(object body) =>
        (await (await Admin.PostJsonAsync("/api/scan/init", body)).Status(HttpStatusCode.Created)).GetProperty("scanId").GetString()!;

    // Fresh targets, made by T's admin for one call.

    public async Task<Fresh> FreshSiteAsync() => new((await T.SiteAsync()).ToString());

    public async Task<Fresh> FreshUserAsync() => new((await Admin.CreateUserAsync(new
    {
        email = PlatformCalls.NewEmail(),
        name = "fresh",
        role = "operator",
        password = PlatformCalls.UserPassword,
    })).Id().ToString());

    public async Task<Fresh> FreshApiKeyAsync() => new((await T.ApiKeyAsync("operator")).Id.ToString());

    public async Task<Fresh> FreshDeviceAsync() => new((await T.DeviceAsync(SiteA)).Id.ToString());

    /// <summary>A project with P's members, created by T's admin or by <paramref name="creator"/> (an operator).</summary>
    public async Task<Fresh> FreshProjectAsync(string? creator = null)
    {
        var project = await ProjectAsync("", creator, withObjectId: false);
        return new Fresh(project.Id.ToString(), project.Number);
    }

    public async Task<Fresh> FreshScanAsync(bool onSite) =>
        new(await ScanAsync(onSite ? (object)new { sessionId = "fresh", siteId = SiteA } : new { sessionId = "fresh", projectId = P.Id }));

    /// <summary>A snapshot of P with a file uploaded under its prefix (with its own credentials), ready to commit.</summary>
    public async Task<Fresh> FreshUploadedSnapshotAsync()
    {
        var snapshot = (await Admin.SnapshotAsync(P.ObjectId)).GetProperty("id").GetString()!;
        var c = await Admin.CredentialsAsync(snapshot);
        using var s3 = new Amazon.S3.AmazonS3Client(
            new Amazon.Runtime.SessionAWSCredentials(c.Str("access_key_id"), c.Str("access_key_secret"), c.Str("session_token")),
            new Amazon.S3.AmazonS3Config { ServiceURL = c.Str("endpoint_url"), ForcePathStyle = true, AuthenticationRegion = c.Str("region") });
        var key = c.Str("s3_prefix") + "cloud.laz";
        await s3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = c.Str("bucket"), Key = key, ContentBody = "not a point cloud" });
        return new Fresh(snapshot, Key: key);
    }

    /// <summary>
    /// A resumable upload to PW started by OU (uploads are their starter's alone), its location; <paramref name="finished"/>:
    /// with all its bytes (a photo), ready to complete.
    /// </summary>
    public async Task<Fresh> FreshReconUploadAsync(bool finished)
    {
        var photo = await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Shared, "data", "scenes", "orbit-30", "frame_003.jpg"));
        var metadata = $"project_id {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(PW.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)))}";
        using var start = new HttpRequestMessage(HttpMethod.Post, "/api/v1/files/uploads");
        start.Headers.Add("Tus-Resumable", "1.0.0");
        start.Headers.Add("Upload-Length", photo.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.Headers.Add("Upload-Metadata", metadata);
        using var created = await Clients["OU"].SendAsync(start);
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var location = created.Headers.Location!.OriginalString;
        if (finished)
        {
            using var patch = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(photo) };
            patch.Headers.Add("Tus-Resumable", "1.0.0");
            patch.Headers.Add("Upload-Offset", "0");
            patch.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/offset+octet-stream");
            using var sent = await Clients["OU"].SendAsync(patch);
            Assert.Equal(System.Net.HttpStatusCode.NoContent, sent.StatusCode);
        }
        return new Fresh(location, Key: Convert.ToBase64String(photo));
    }

    // The APS integration document: P's bucket (named by reading P once), its translated file F, and a bucket BK of no project.
    public string PBucket { get; private set; } = "";
    public long ApsFile { get; private set; }
    public string ApsUrn { get; private set; } = "";
    public string Bucket { get; private set; } = "";

    /// <summary>A tiny OBJ (one triangle), which Scanport's APS cloud translates in a moment.</summary>
    public static readonly byte[] Triangle = "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n"u8.ToArray();

    private async Task ApsIntegrationAsync()
    {
        const string api = ApsiCalls.Base;
        PBucket = (await (await Admin.GetAsync($"{api}/projects/{P.Number}")).Status(HttpStatusCode.OK)).Str("bucket_key");
        var file = await FreshApsFileAsync();
        (ApsFile, ApsUrn) = (file.Number, file.Key!);
        await (await Admin.PostAsJsonAsync($"{api}/aps/translate", new { urn = ApsUrn })).Status(HttpStatusCode.Accepted);
        Assert.Equal("ready", (await Admin.WaitForFileAsync(ApsFile)).Str("status"));
        Bucket = $"authz-{Guid.NewGuid():N}";
        await (await Admin.PostAsJsonAsync($"{api}/aps/buckets", new { bucket_key = Bucket, policy = "transient" })).Status(HttpStatusCode.Created);
    }

    /// <summary>A file of P uploaded through the APS integration document by T's admin: its number, and its URN as the key.</summary>
    public async Task<Fresh> FreshApsFileAsync()
    {
        var file = await (await Admin.UploadAsync(P.Number, Triangle, "triangle.obj")).Status(HttpStatusCode.Created);
        return new Fresh(file.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture), file.GetProperty("id").GetInt64(), file.Str("urn"));
    }

    public async Task DisposeAsync()
    {
        foreach (var client in Clients.Values) client.Dispose();
        if (App is not null) await ((IAsyncLifetime)App).DisposeAsync();
    }
}

internal static class JsonText
{
    public static string Str(this JsonElement e, string property) => e.GetProperty(property).GetString()!;
}
