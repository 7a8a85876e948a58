using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Scanport.Storage.Embedded;

/// <summary>Where S3 clients reach the embedded endpoint: <c>Storage:PublicUrl</c>, else this server's first address.</summary>
internal sealed class EmbeddedEndpoint(IOptions<StorageOptions> options, IServer server)
{
    public Uri? Url
    {
        get
        {
            if (options.Value.PublicUrl is { Length: > 0 } configured) return new Uri(configured.TrimEnd('/'));
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            if (address is null) return null;
            return new Uri(address.Replace("://[::]", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1").Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1"));
        }
    }

    public Uri RequireUrl() => Url ?? throw new InvalidOperationException("The embedded S3 endpoint's address is not known yet; set Storage:PublicUrl.");
}
