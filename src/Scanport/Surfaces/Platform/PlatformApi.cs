using Microsoft.EntityFrameworkCore;
using Scanport.Http;
using Scanport.Identity;

namespace Scanport.Surfaces.Platform;

/// <summary>The platform API (<c>/platform/v1</c>): administers what the five published documents take for granted.</summary>
internal static class PlatformApi
{
    public const string BasePath = "/platform/v1";
    public const string TokenLimit = "platform-token";

    public static IServiceCollection AddPlatformApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddApiDocument("platform");
        var perMinute = configuration.GetValue($"{AuthOptions.Section}:TokenRequestsPerMinute", new AuthOptions().TokenRequestsPerMinute);
        services.AddRateLimits(p => p.Add(TokenLimit, RateLimitPolicies.ClientAddress, new WindowLimit(perMinute, TimeSpan.FromMinutes(1))));
        return services;
    }

    public static IEndpointRouteBuilder MapPlatformApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapSurface(BasePath, ProblemDetailsShape.Instance)
            .WithGroupName("platform")
            .WithBodyLimit(64 * 1024);
        api.MapOAuthToken();
        api.MapMe();
        api.MapOrganizations();
        api.MapSites();
        api.MapUsers();
        api.MapApiKeys();
        api.MapEnrollmentCodes();
        api.MapDevices();
        api.MapProjects();
        api.MapStorageCredentials();
        return app;
    }
}

/// <summary><c>limit</c>/<c>offset</c> paging, written once for every platform listing.</summary>
internal sealed record Paging(int? Limit, int? Offset)
{
    public const int MaxLimit = 100;

    public int Take => Limit ?? 50;
    public int Skip => Offset ?? 0;

    public ErrorResult? Invalid() =>
        Take is < 1 or > MaxLimit ? PlatformErrors.Invalid("limit", $"must be between 1 and {MaxLimit}")
        : Skip < 0 ? PlatformErrors.Invalid("offset", "must not be negative")
        : null;

    public async Task<Page<T>> ApplyAsync<T>(IQueryable<T> ordered, CancellationToken ct) =>
        new(await ordered.Skip(Skip).Take(Take).ToListAsync(ct), await ordered.CountAsync(ct), Take, Skip);
}
