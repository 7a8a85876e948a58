namespace Scanport.Tests.Identity;

/// <summary>
/// The APS cloud. Its routes take APS access tokens only (the <c>Aps</c> scheme): the platform's tokens and API key
/// secrets that every principal of the table holds are refused there, whoever holds them. What APS tokens may do is
/// tested with real APS tokens in Surfaces/Aps. OpenIddict answers revoke, introspect, keys and discovery in its own
/// middleware (they are no routes here): the first two authenticate the client themselves, the last two are public.
/// </summary>
public static partial class AuthorizationTable
{
    private const string Hooks = "/webhooks/v1/systems/{system}/events/{event}/hooks";
    private static readonly object HookBody = new { callbackUrl = "http://203.0.113.10/cb", scope = new { workflow = "authz" } };

    private static IEnumerable<Row> Aps =>
    [
        R("GET", "/userinfo", _ => 401, Get(_ => "/userinfo")),
        // OSS v2: the platform's tokens are no APS tokens.
        R("POST", "/oss/v2/buckets", _ => 401, Post(_ => "/oss/v2/buckets", _ => new { bucketKey = "table-bucket", policyKey = "transient" })),
        R("GET", "/oss/v2/buckets", _ => 401, Get(_ => "/oss/v2/buckets")),
        R("GET", "/oss/v2/buckets/{bucketKey}/details", _ => 401, Get(_ => "/oss/v2/buckets/table-bucket/details")),
        R("DELETE", "/oss/v2/buckets/{bucketKey}", _ => 401, Delete(_ => "/oss/v2/buckets/table-bucket")),
        R("GET", "/oss/v2/buckets/{bucketKey}/objects", _ => 401, Get(_ => "/oss/v2/buckets/table-bucket/objects")),
        R("GET", "/oss/v2/buckets/{bucketKey}/objects/{objectKey}/details", _ => 401, Get(_ => "/oss/v2/buckets/table-bucket/objects/a.txt/details")),
        R("DELETE", "/oss/v2/buckets/{bucketKey}/objects/{objectKey}", _ => 401, Delete(_ => "/oss/v2/buckets/table-bucket/objects/a.txt")),
        R("GET", "/oss/v2/buckets/{bucketKey}/objects/{objectKey}/signeds3upload", _ => 401,
            Get(_ => "/oss/v2/buckets/table-bucket/objects/a.txt/signeds3upload")),
        R("POST", "/oss/v2/buckets/{bucketKey}/objects/{objectKey}/signeds3upload", _ => 401,
            Post(_ => "/oss/v2/buckets/table-bucket/objects/a.txt/signeds3upload", _ => new { uploadKey = "x" })),
        R("GET", "/oss/v2/buckets/{bucketKey}/objects/{objectKey}/signeds3download", _ => 401,
            Get(_ => "/oss/v2/buckets/table-bucket/objects/a.txt/signeds3download")),
        R("POST", Hooks, _ => 401, Post(_ => Hooks, _ => HookBody)),
        R("GET", Hooks, _ => 401, Get(_ => Hooks)),
        R("POST", "/webhooks/v1/systems/{system}/hooks", _ => 401, Post(_ => "/webhooks/v1/systems/derivative/hooks", _ => HookBody)),
        R("GET", "/webhooks/v1/systems/{system}/hooks", _ => 401, Get(_ => "/webhooks/v1/systems/derivative/hooks")),
        R("GET", "/webhooks/v1/hooks", _ => 401, Get(_ => "/webhooks/v1/hooks")),
        R("GET", "/webhooks/v1/app/hooks", _ => 401, Get(_ => "/webhooks/v1/app/hooks")),
        R("GET", Hooks + "/{hookId}", _ => 401, Get(_ => $"{Hooks}/{Guid.NewGuid()}")),
        R("PATCH", Hooks + "/{hookId}", _ => 401, Patch(_ => $"{Hooks}/{Guid.NewGuid()}", _ => new { status = "inactive" })),
        R("DELETE", Hooks + "/{hookId}", _ => 401, Delete(_ => $"{Hooks}/{Guid.NewGuid()}")),
        R("POST", "/webhooks/v1/tokens", _ => 401, Post(_ => "/webhooks/v1/tokens", _ => new { token = "secret" })),
        R("PUT", "/webhooks/v1/tokens/@me", _ => 401, Put(_ => "/webhooks/v1/tokens/@me", _ => new { token = "secret" })),
        R("DELETE", "/webhooks/v1/tokens/@me", _ => 401, Delete(_ => "/webhooks/v1/tokens/@me")),
        .. ModelDerivative,
    ];

    private const string Md = "/modelderivative/v2/designdata";
    private const string MdUrn = "dXJuOmFkc2sub2JqZWN0czpvcy5vYmplY3Q6YXV0aHotdGFibGUvbW9kZWwuc3Rs";

    private static IEnumerable<Row> ModelDerivative =>
    [
        R("POST", Md + "/job", _ => 401, Post(_ => Md + "/job", _ => new { input = new { urn = MdUrn }, output = new { formats = new[] { new { type = "svf2" } } } })),
        R("GET", Md + "/formats", _ => 401, Get(_ => Md + "/formats")),
        R("GET", Md + "/{urn}/manifest", _ => 401, Get(_ => $"{Md}/{MdUrn}/manifest")),
        R("DELETE", Md + "/{urn}/manifest", _ => 401, Delete(_ => $"{Md}/{MdUrn}/manifest")),
        R("GET", Md + "/{urn}/manifest/{derivativeUrn}", _ => 401, Get(_ => $"{Md}/{MdUrn}/manifest/urn%3Aadsk.viewing%3Afs.file%3A{MdUrn}%2Foutput%2Fmodel.glb")),
        R("HEAD", Md + "/{urn}/manifest/{derivativeUrn}", _ => 401,
            c => Answer.Of(c.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{Md}/{MdUrn}/manifest/urn%3Aadsk.viewing%3Afs.file%3A{MdUrn}%2Foutput%2Fmodel.glb")))),
        R("GET", Md + "/{urn}/manifest/{derivativeUrn}/signedcookies", _ => 401,
            Get(_ => $"{Md}/{MdUrn}/manifest/urn%3Aadsk.viewing%3Afs.file%3A{MdUrn}%2Foutput%2Fmodel.glb/signedcookies")),
        R("GET", Md + "/{urn}/thumbnail", _ => 401, Get(_ => $"{Md}/{MdUrn}/thumbnail")),
        R("GET", Md + "/{urn}/metadata", _ => 401, Get(_ => $"{Md}/{MdUrn}/metadata")),
        R("GET", Md + "/{urn}/metadata/{modelGuid}", _ => 401, Get(_ => $"{Md}/{MdUrn}/metadata/{Guid.Empty}")),
        R("GET", Md + "/{urn}/metadata/{modelGuid}/properties", _ => 401, Get(_ => $"{Md}/{MdUrn}/metadata/{Guid.Empty}/properties")),
        R("POST", Md + "/{urn}/metadata/{modelGuid}/properties:query", _ => 401,
            Post(_ => $"{Md}/{MdUrn}/metadata/{Guid.Empty}/properties:query", _ => new { query = new { }, fields = new[] { "name" } })),
    ];
}
