using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Scanport.Identity.Oidc;

/// <summary>Sign-in with id_tokens from external OpenID Connect providers.</summary>
internal static class OidcModule
{
    public static IServiceCollection AddOidc(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OidcOptions>().Bind(configuration.GetSection(OidcOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OidcOptions>, OidcOptionsValidator>();
        services.AddHttpClient(OidcTokenValidator.HttpClientName)
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<OidcOptions>>().Value.HttpTimeout)
            // The validator keeps its client for good: recycle pooled connections so DNS changes are seen.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<OidcTokenValidator>();
        services.AddScoped<OidcUserResolver>();
        return services;
    }
}
