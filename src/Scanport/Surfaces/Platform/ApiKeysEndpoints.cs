using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;

namespace Scanport.Surfaces.Platform;

internal static class ApiKeysEndpoints
{
    public static void MapApiKeys(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/api-keys").WithTags("API keys").RequireAuthorization(IdentityModule.AdminPolicy);
        keys.MapPost("/", Create).WithName("CreateApiKey").WithSummary("Create an API key; its secret is shown only in this response");
        keys.MapGet("/", List).ProducesErrors(400).WithName("ListApiKeys").WithSummary("List the organization's API keys (without secrets)");
        keys.MapDelete("/{id:guid}", Revoke).WithName("RevokeApiKey").WithSummary("Revoke an API key");
    }

    public static async Task<Results<Created<ApiKeyResponse>, ErrorResult>> Create(
        ApiKeyRequest request, Caller caller, ScanportDb db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var name = request.Name?.Trim();
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(name) || name.Length > 200) errors["name"] = ["is required (1 to 200 characters)"];
        if (!Roles.IsAssignable(request.Role)) errors["role"] = [$"must be one of {string.Join(", ", Roles.Assignable)}"];
        if (request.ExpiresAt is { } expires && expires <= now) errors["expires_at"] = ["must be in the future"];
        var redirectUris = request.RedirectUris ?? [];
        if (redirectUris.Count > 20 || !redirectUris.All(IsRedirectUri))
            errors["redirect_uris"] = ["must be at most 20 absolute http(s) URIs without a fragment"];
        if (errors.Count > 0) return PlatformErrors.Invalid(errors);
        var key = new ApiKey
        {
            OrgId = caller.OrgId,
            Name = name!,
            Role = request.Role!,
            SecretHash = [],
            CreatedBy = caller.UserId,
            CreatedAt = now,
            ExpiresAt = request.ExpiresAt?.ToUniversalTime(),
            RedirectUris = [.. redirectUris.Distinct(StringComparer.Ordinal)],
        };
        var secret = ApiKeySecrets.Create(key.Id);
        key.SecretHash = ApiKeySecrets.Hash(secret);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"{PlatformApi.BasePath}/api-keys/{key.Id}", ToResponse(key) with { Secret = secret });
    }

    public static async Task<Results<Ok<Page<ApiKeyResponse>>, ErrorResult>> List(
        [AsParameters] Paging paging, Caller caller, ScanportDb db, CancellationToken ct)
    {
        if (paging.Invalid() is { } invalid) return invalid;
        return TypedResults.Ok(await paging.ApplyAsync(db.ApiKeys.Where(k => k.OrgId == caller.OrgId).OrderBy(k => k.Id)
            .Select(k => new ApiKeyResponse(k.Id, k.Name, k.Role, k.CreatedAt, k.ExpiresAt, k.RevokedAt, k.RedirectUris, null)), ct));
    }

    public static async Task<Results<NoContent, ErrorResult>> Revoke(
        Guid id, Caller caller, ScanportDb db, PrincipalStates principals, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var found = await db.ApiKeys.Where(k => k.Id == id && k.OrgId == caller.OrgId)
            .ExecuteUpdateAsync(k => k.SetProperty(x => x.RevokedAt, x => x.RevokedAt ?? now), ct);
        // Its minted tokens stop with the key, not when they expire.
        principals.Forget(id);
        return found == 0 ? PlatformErrors.NotFound("API key") : TypedResults.NoContent();
    }

    private static ApiKeyResponse ToResponse(ApiKey k) => new(k.Id, k.Name, k.Role, k.CreatedAt, k.ExpiresAt, k.RevokedAt, k.RedirectUris);

    /// <summary>Where the APS cloud's sign-in may send a user back (RFC 6749 3.1.2: absolute, no fragment).</summary>
    private static bool IsRedirectUri(string? uri) =>
        uri is { Length: <= 2000 } && Uri.TryCreate(uri, UriKind.Absolute, out var parsed)
        && parsed.Scheme is "https" or "http" && parsed.Fragment.Length == 0;
}
