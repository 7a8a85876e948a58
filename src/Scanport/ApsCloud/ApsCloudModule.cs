using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Scanport.ApsCloud;

/// <summary>The APS client: options <c>Aps</c>, a named <see cref="HttpClient"/>, and <see cref="ApsCloudClients"/>.</summary>
public static class ApsCloudModule
{
    public const string HttpClientName = "aps";

    public static IServiceCollection AddApsCloud(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApsCloudOptions>().Bind(configuration.GetSection(ApsCloudOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApsCloudOptions>, ApsCloudOptionsCheck>();
        // One long-lived handler whose connections are recycled, so DNS changes at the cloud are seen; no HttpClient timeout,
        // since every attempt has its own (Aps:RequestTimeout) and a download streams for as long as it takes.
        services.AddHttpClient(HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddSingleton<ApsTokenCache>();
        services.AddSingleton<ApsCloudClients>();
        return services;
    }
}

internal sealed class ApsCloudOptionsCheck : IValidateOptions<ApsCloudOptions>
{
    public ValidateOptionsResult Validate(string? name, ApsCloudOptions options) =>
        options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}

/// <summary>
/// Makes <see cref="ApsCloudClient"/>s for the configured cloud: <c>Aps:BaseUrl</c>, or this server itself (its
/// <c>Aps:PublicUrl</c>, else its first listening address) when unset.
/// </summary>
public sealed class ApsCloudClients(IHttpClientFactory http, IOptions<ApsCloudOptions> options, ApsTokenCache tokens, TimeProvider clock,
    ILogger<ApsCloudClient> logger, IServer? server = null)
{
    private ApsTransport? _transport;

    /// <summary>Whether the cloud is Scanport's own APS endpoints (no <c>Aps:BaseUrl</c>).</summary>
    public bool IsScanportCloud => options.Value.BaseUrl is not { Length: > 0 };

    /// <summary>The cloud's origin, ending in a slash.</summary>
    public Uri BaseUrl => options.Value.BaseUrl is { Length: > 0 } b ? new Uri(b.TrimEnd('/') + "/") : OwnUrl;

    /// <summary>How this server is reached (<c>Aps:PublicUrl</c>, else its first listening address), ending in a slash: where callbacks come back to.</summary>
    public Uri OwnUrl
    {
        get
        {
            var configured = options.Value.PublicUrl is { Length: > 0 } p ? p
                : server?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()?
                    .Replace("://[::]", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1").Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1")
                ?? throw new ApsCloudException(ApsFailure.ApiError, "This server's address is not known yet: set Aps:PublicUrl.");
            return new Uri(configured.TrimEnd('/') + "/");
        }
    }

    /// <summary>The three-legged flow's redirect URI (<c>Aps:CallbackUrl</c>), if configured.</summary>
    public string? CallbackUrl => options.Value.CallbackUrl;

    /// <summary>Whether <c>Aps:ClientId</c> and <c>Aps:ClientSecret</c> are set.</summary>
    public bool HasConfiguredCredentials => options.Value.ClientId is { Length: > 0 };

    /// <summary>A client of the configured application (<c>Aps:ClientId</c> / <c>Aps:ClientSecret</c>), or of the one given.</summary>
    public ApsCloudClient Create(ApsCredentials? credentials = null)
    {
        var o = options.Value;
        credentials ??= o.ClientId is { Length: > 0 } id ? new ApsCredentials(id, o.ClientSecret!)
            : throw new ApsCloudException(ApsFailure.AuthFailed, "No APS application is configured: set Aps:ClientId and Aps:ClientSecret.");
        _transport ??= new ApsTransport(http.CreateClient(ApsCloudModule.HttpClientName), o, clock, logger);
        return new ApsCloudClient(_transport, BaseUrl, credentials, tokens);
    }
}
