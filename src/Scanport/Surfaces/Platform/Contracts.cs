using System.Text.Json.Serialization;

namespace Scanport.Surfaces.Platform;

// The platform API is our own; its JSON is snake_case like the 360 imaging document it serves.

public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

/// <summary>RFC 6749 section 5.2.</summary>
public sealed record OAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription);

public sealed record Page<T>(
    [property: JsonPropertyName("items")] IReadOnlyList<T> Items,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("offset")] int Offset)
{
    public Page<TOut> Map<TOut>(Func<T, TOut> map) => new(Items.Select(map).ToList(), Total, Limit, Offset);
}

public sealed record MeResponse(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("org_id")] Guid OrgId,
    [property: JsonPropertyName("org_name")] string OrgName,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("site_ids")] IReadOnlyList<Guid> SiteIds);

public sealed record SiteRequest(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("timezone")] string? Timezone);

public sealed record SiteResponse(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("org_id")] Guid OrgId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("timezone")] string? Timezone,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt);

public sealed record UserRequest(
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("role")] string? Role,
    [property: JsonPropertyName("site_ids")] IReadOnlyList<Guid>? SiteIds,
    [property: JsonPropertyName("password")] string? Password);

public sealed record UserResponse(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("org_id")] Guid OrgId,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("site_ids")] IReadOnlyList<Guid> SiteIds,
    [property: JsonPropertyName("has_password")] bool HasPassword,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt);

public sealed record ApiKeyRequest(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("role")] string? Role,
    [property: JsonPropertyName("expires_at")] DateTimeOffset? ExpiresAt,
    [property: JsonPropertyName("redirect_uris")] IReadOnlyList<string>? RedirectUris = null);

public sealed record ApiKeyResponse(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("expires_at")] DateTimeOffset? ExpiresAt,
    [property: JsonPropertyName("revoked_at")] DateTimeOffset? RevokedAt,
    [property: JsonPropertyName("redirect_uris")] IReadOnlyList<string> RedirectUris,
    [property: JsonPropertyName("secret"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret = null);

public sealed record EnrollmentCodeRequest(
    [property: JsonPropertyName("site_id")] Guid? SiteId,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn);

public sealed record EnrollmentCodeResponse(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("site_id")] Guid? SiteId,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt);

public sealed record ProjectRequest(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("cloud_only")] bool? CloudOnly,
    [property: JsonPropertyName("member_ids")] IReadOnlyList<Guid>? MemberIds);

public sealed record ProjectResponse(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("org_id")] Guid OrgId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("cloud_only")] bool CloudOnly,
    [property: JsonPropertyName("member_ids")] IReadOnlyList<Guid> MemberIds,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt,
    // number: the project's id on the reconstruction and APS integration APIs, which number their projects; object_id: its id on ScanAce.
    [property: JsonPropertyName("number")] long Number,
    [property: JsonPropertyName("object_id")] string ObjectId);

public sealed record MemberRequest([property: JsonPropertyName("user_id")] Guid? UserId);

public sealed record OrganizationRequest(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("admin_email")] string? AdminEmail,
    [property: JsonPropertyName("admin_password")] string? AdminPassword,
    [property: JsonPropertyName("open_enrollment")] bool? OpenEnrollment);

public sealed record OrganizationResponse(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("open_enrollment")] bool OpenEnrollment,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("admin_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? AdminId = null);

public sealed record StorageCredentialsRequest(
    [property: JsonPropertyName("bucket")] string? Bucket,
    [property: JsonPropertyName("prefix")] string? Prefix,
    [property: JsonPropertyName("access")] string? Access,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn);

public sealed record StorageCredentialsResponse(
    [property: JsonPropertyName("access_key_id")] string AccessKeyId,
    [property: JsonPropertyName("secret_access_key")] string SecretAccessKey,
    [property: JsonPropertyName("session_token")] string SessionToken,
    [property: JsonPropertyName("expiration")] DateTimeOffset Expiration,
    [property: JsonPropertyName("bucket")] string Bucket,
    [property: JsonPropertyName("prefix")] string Prefix,
    [property: JsonPropertyName("region")] string Region,
    [property: JsonPropertyName("endpoint_url"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? EndpointUrl);

/// <summary>A stored file of a project; <c>source</c> is the surface it came through and <c>source_id</c> its id there.</summary>
public sealed record ProjectFileResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("source_id")] string SourceId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("content_type")] string? ContentType,
    [property: JsonPropertyName("stored")] bool Stored,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt);

public sealed record ProjectFileUrlResponse(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("content_type")] string ContentType,
    [property: JsonPropertyName("size")] long Size);
