using System.Net;
using System.Text.Json;

namespace Scanport.Tests.Storage;

/// <summary>Temporary S3 credentials from the platform API, as a client's environment sees them.</summary>
internal sealed record S3Credentials(string AccessKeyId, string Secret, string SessionToken, string Bucket, string Prefix, string Region, string Endpoint)
{
    public static async Task<S3Credentials> IssueAsync(Tenant tenant, string prefix = "", string access = "read-write")
    {
        using var admin = tenant.Admin();
        var body = await (await admin.PostJsonAsync("/platform/v1/storage/credentials", new { prefix, access })).Status(HttpStatusCode.OK);
        return From(body);
    }

    public static S3Credentials From(JsonElement c) => new(
        c.GetProperty("access_key_id").GetString()!, c.GetProperty("secret_access_key").GetString()!, c.GetProperty("session_token").GetString()!,
        c.GetProperty("bucket").GetString()!, c.GetProperty("prefix").GetString()!, c.GetProperty("region").GetString()!,
        c.GetProperty("endpoint_url").GetString()!);

    /// <summary>The environment an AWS client reads its credentials from.</summary>
    public Dictionary<string, string> Environment() => new()
    {
        ["AWS_ACCESS_KEY_ID"] = AccessKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = Secret,
        ["AWS_SESSION_TOKEN"] = SessionToken,
        ["AWS_DEFAULT_REGION"] = Region,
        ["S3_ENDPOINT"] = Endpoint,
        ["S3_BUCKET"] = Bucket,
        ["S3_PREFIX"] = Prefix,
    };

    public Amazon.S3.AmazonS3Client SdkClient() => new(
        new Amazon.Runtime.SessionAWSCredentials(AccessKeyId, Secret, SessionToken),
        new Amazon.S3.AmazonS3Config { ServiceURL = Endpoint, ForcePathStyle = true, AuthenticationRegion = Region });
}
