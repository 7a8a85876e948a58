using System.Globalization;
using Scanport.Tests.Surfaces.ApsIntegration;

namespace Scanport.Tests.Identity;

/// <summary>
/// The APS integration document (rule 9): projects by integer id as rule 5 has them, their files, the organization's
/// buckets and models, the viewer, and the user's APS authorization. P has a translated file F and a bucket PB; BK is a
/// bucket of no project. Reading APS data is for everyone but devices; changing it for admins and operators, and in a
/// project's bucket only for who may add work to that project.
/// </summary>
public static partial class AuthorizationTable
{
    private const string AI = ApsiCalls.Base;

    private static Func<Who, Outcome> ApsRead(Func<Who, bool> sees, Outcome ok) => w => w.IsDevice ? 403 : sees(w) ? ok : 404;
    private static Func<Who, Outcome> ApsWriteP(Outcome ok) => w => w.IsDevice || w.IsReviewer ? 403 : w.SeesP ? ok : 404;
    private static Func<Who, Outcome> UsersOnly(Outcome ok) => w => w.IsUser ? ok : 403;

    private static IEnumerable<Row> ApsIntegration =>
    [
        R("GET", $"{AI}/auth/aps/auth-url", UsersOnly(200), Get(_ => $"{AI}/auth/aps/auth-url")),
        // A code APS never gave: the exchange is refused by APS (400), after the caller was let through.
        R("POST", $"{AI}/auth/aps/callback", UsersOnly(new Outcome(400, "a code APS never gave: allowed")),
            Post(_ => $"{AI}/auth/aps/callback", _ => new { code = "not-a-code" })),
        R("GET", $"{AI}/auth/aps/profile", UsersOnly(new Outcome(404, "APS not authorized yet: allowed")), Get(_ => $"{AI}/auth/aps/profile")),

        R("GET", $"{AI}/aps/buckets", w => w.IsDevice ? 403 : Show(w.OtherOrg ? null : "BK", w.SeesP ? "PB" : null), Get(_ => $"{AI}/aps/buckets"))
            with { Marks = w => new() { ["BK"] = w.Bucket, ["PB"] = w.PBucket }, Listed = BucketKeys },
        R("POST", $"{AI}/aps/buckets", w => w.IsDevice || w.IsReviewer ? 403 : 201,
            Post(_ => $"{AI}/aps/buckets", _ => new { bucket_key = $"authz-{Guid.NewGuid():N}", policy = "transient" })),
        R("POST", $"{AI}/aps/buckets/{{bucket_key}}/files", ApsWriteP(201), c => Answer.Of(c.Client.PostAsync($"{AI}/aps/buckets/{c.W.PBucket}/files",
            new MultipartFormDataContent { { new ByteArrayContent(AuthorizationWorld.Triangle), "file", "raw.obj" } }))),
        R("POST", $"{AI}/aps/translate", ApsWriteP(202), Post(_ => $"{AI}/aps/translate", c => new { urn = c.T.Key }))
            with { Arrange = w => w.FreshApsFileAsync() },
        R("GET", $"{AI}/aps/translate/{{urn}}/status", ApsRead(w => w.SeesP, 200), Get(c => $"{AI}/aps/translate/{c.W.ApsUrn}/status")),
        R("GET", $"{AI}/aps/models/{{urn}}/metadata", ApsRead(w => w.SeesP, 200), Get(c => $"{AI}/aps/models/{c.W.ApsUrn}/metadata")),

        R("GET", $"{AI}/projects", ListP, Get(_ => $"{AI}/projects?limit=100&sort=id&order=asc"))
            with { Marks = w => new() { ["P"] = w.P.Number.ToString(CultureInfo.InvariantCulture) }, Listed = Items },
        R("POST", $"{AI}/projects", ProjectCreators(201), Post(_ => $"{AI}/projects", _ => new { name = Unique("aps"), description = "new" })),
        R("GET", $"{AI}/projects/{{project_id}}", ReadP(200), Get(c => $"{AI}/projects/{c.W.P.Number}")),
        R("PUT", $"{AI}/projects/{{project_id}}", ChangeP(200), Put(c => $"{AI}/projects/{c.T.Number}", _ => new { description = "changed" }))
            with { Arrange = w => w.FreshProjectAsync() },
        R("DELETE", $"{AI}/projects/{{project_id}}", ChangeP(204), Delete(c => $"{AI}/projects/{c.T.Number}")) with { Arrange = w => w.FreshProjectAsync() },
        R("PUT", $"{AI}/projects/{{project_id}}", ChangeOwnP(200), Put(c => $"{AI}/projects/{c.T.Number}", _ => new { description = "changed" }))
            with { Variant = "created by OU", Arrange = w => w.FreshProjectAsync("OU") },
        R("DELETE", $"{AI}/projects/{{project_id}}", ChangeOwnP(204), Delete(c => $"{AI}/projects/{c.T.Number}"))
            with { Variant = "created by OU", Arrange = w => w.FreshProjectAsync("OU") },

        R("GET", $"{AI}/files", w => Show(w.SeesP ? "F" : null), Get(c => $"{AI}/files?limit=100&sort=id&order=asc&filter[project_id]={c.W.P.Number}"))
            with { Marks = w => new() { ["F"] = w.ApsFile.ToString(CultureInfo.InvariantCulture) }, Listed = Items },
        R("POST", $"{AI}/files", ContributeP(201), c => Answer.Of(c.Client.UploadAsync(c.W.P.Number, AuthorizationWorld.Triangle, "upload.obj"))),
        R("GET", $"{AI}/files/{{file_id}}", ReadP(200), Get(c => $"{AI}/files/{c.W.ApsFile}")),
        R("DELETE", $"{AI}/files/{{file_id}}", ChangeP(204), Delete(c => $"{AI}/files/{c.T.Number}")) with { Arrange = w => w.FreshApsFileAsync() },

        R("GET", $"{AI}/viewer/token", w => w.IsDevice ? 403 : 200, Get(_ => $"{AI}/viewer/token")),
        R("GET", $"{AI}/viewer/config/{{urn}}", ApsRead(w => w.SeesP, 200), Get(c => $"{AI}/viewer/config/{c.W.ApsUrn}")),
    ];

    private static IEnumerable<string> BucketKeys(System.Text.Json.JsonElement list) => list.EnumerateArray().Select(b => b.GetProperty("bucket_key").GetString()!);
}
