namespace Scanport.Tests.Identity;

/// <summary>
/// The APS cloud. Its routes take APS access tokens only (the <c>Aps</c> scheme): the platform's tokens and API key
/// secrets that every principal of the table holds are refused there, whoever holds them. What APS tokens may do is
/// tested with real APS tokens in Surfaces/Aps. OpenIddict answers revoke, introspect, keys and discovery in its own
/// middleware (they are no routes here): the first two authenticate the client themselves, the last two are public.
/// </summary>
public static partial class AuthorizationTable
{
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
    ];
}
