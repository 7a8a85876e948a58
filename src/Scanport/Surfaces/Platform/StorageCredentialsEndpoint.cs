using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Storage;

namespace Scanport.Surfaces.Platform;

/// <summary>
/// Temporary S3 credentials for an admin's own tools (aws-cli, boto3, SDKs), limited to a prefix under their
/// organization (<c>org/{org_id}/</c>) in the platform's bucket.
/// </summary>
internal static class StorageCredentialsEndpoint
{
    public static void MapStorageCredentials(this RouteGroupBuilder api) =>
        api.MapPost("/storage/credentials", Issue).WithTags("Storage").RequireAuthorization(IdentityModule.AdminPolicy)
            .WithName("IssueStorageCredentials").WithSummary("Temporary S3 credentials for a prefix of your organization's storage");

    public static async Task<Results<Ok<StorageCredentialsResponse>, ErrorResult>> Issue(
        StorageCredentialsRequest request, Caller caller, IObjectStore store, IOptions<StorageOptions> options, CancellationToken ct)
    {
        var bucket = options.Value.Buckets[0];
        var root = $"org/{caller.OrgId}/";
        var prefix = root + (request.Prefix ?? "").TrimStart('/');
        var errors = new Dictionary<string, string[]>();
        if (request.Bucket is not null && request.Bucket != bucket) errors["bucket"] = [$"must be {bucket}"];
        if (prefix.Length > 512 || prefix.Contains("..", StringComparison.Ordinal)) errors["prefix"] = ["must be a relative key prefix of at most 512 characters"];
        if (request.Access is not (null or "read" or "write" or "read-write")) errors["access"] = ["must be read, write or read-write"];
        if (request.ExpiresIn is < 900 or > 43200) errors["expires_in"] = ["must be between 900 and 43200 seconds"];
        if (errors.Count > 0) return PlatformErrors.Invalid(errors);
        IReadOnlyList<string> actions = request.Access switch
        {
            "read" => [CredentialScope.GetObject, CredentialScope.ListBucket],
            "write" => CredentialScope.UploadOnly,
            _ => CredentialScope.ReadWrite,
        };
        var credentials = await store.IssueCredentialsAsync(new CredentialScope(bucket, prefix, actions),
            TimeSpan.FromSeconds(request.ExpiresIn ?? 3600), ct);
        return TypedResults.Ok(new StorageCredentialsResponse(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken,
            credentials.Expiration, bucket, prefix, store.Region, store.PublicEndpoint?.ToString().TrimEnd('/')));
    }
}
