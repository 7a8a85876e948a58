using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Scanport.Surfaces.Aps.Webhooks;

/// <summary>
/// Where callbacks may go (SSRF): public addresses, the networks the operator allowed, and this server's own listening
/// endpoints (address and port: a surface of this server hooked to its own APS cloud, which reaches nothing a client could
/// not call directly). Checked when a hook is created (its host resolved) and again on every connection a delivery makes,
/// against the very address connected to, so a name that resolves elsewhere later (DNS rebinding) is refused too.
/// </summary>
public sealed class CallbackNetworks(IOptions<WebhooksOptions> options, IServer? server = null)
{
    private readonly IPNetwork[] _allowed = [.. options.Value.AllowedCallbackNetworks.Select(n => IPNetwork.Parse(n))];

    /// <summary>Whether <paramref name="address"/>:<paramref name="port"/> is one of this server's own listening endpoints.</summary>
    public bool IsThisServer(IPAddress address, int port)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var listening in server?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            if (!Uri.TryCreate(listening.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0"), UriKind.Absolute, out var binding) || binding.Port != port)
                continue;
            // A wildcard binding (0.0.0.0, [::], +, *, localhost) is reached here through loopback.
            if (IPAddress.TryParse(binding.Host.Trim('[', ']'), out var bound) && !bound.Equals(IPAddress.Any) && !bound.Equals(IPAddress.IPv6Any)
                ? bound.Equals(address)
                : IPAddress.IsLoopback(address))
                return true;
        }
        return false;
    }

    /// <summary>Whether a callback may connect to <paramref name="address"/> at <paramref name="port"/>.</summary>
    public bool Allows(IPAddress address, int port) => Allows(address) || IsThisServer(address, port);

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    private static readonly IPNetwork[] Internal =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        // ::/96 holds the unspecified and loopback addresses and the deprecated IPv4-compatible ones (::10.0.0.1).
        IPNetwork.Parse("::/96"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("fec0::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    /// <summary>Whether a callback may connect to <paramref name="address"/>.</summary>
    public bool Allows(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        // NAT64 (64:ff9b::/96) reaches the IPv4 address in its last four bytes: that one is checked.
        else if (Nat64.Contains(address)) address = new IPAddress(address.GetAddressBytes()[12..]);
        if (_allowed.Any(n => n.Contains(address))) return true;
        return !Internal.Any(n => n.Contains(address));
    }

    /// <summary>Why a callback URL is refused, or null when its scheme is http(s) and every address its host has is allowed.</summary>
    public async Task<string?> RefusalAsync(Uri url, CancellationToken ct)
    {
        if (url.Scheme is not ("http" or "https")) return "callbackUrl must be an http or https URL";
        if (url.UserInfo.Length > 0) return "callbackUrl may not carry credentials";
        IPAddress[] addresses;
        if (IPAddress.TryParse(url.IdnHost, out var literal)) addresses = [literal];
        else
        {
            using var lookup = CancellationTokenSource.CreateLinkedTokenSource(ct);
            lookup.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                addresses = await Dns.GetHostAddressesAsync(url.IdnHost, lookup.Token);
            }
            catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                // Not resolvable now: every delivery checks the address it connects to, whatever the name says then.
                return null;
            }
        }
        return addresses.All(a => Allows(a, url.Port)) ? null
            : "callbackUrl's host is a loopback, private, link-local or otherwise internal address, which this server does not call back";
    }

    /// <summary>
    /// The delivery client's connection: the host resolved here and each address checked before it is connected to; no
    /// proxy (it would connect for us, unchecked) and no redirects (they would lead anywhere).
    /// </summary>
    public SocketsHttpHandler Handler() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        ConnectCallback = ConnectAsync,
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = addresses.Where(a => Allows(a, context.DnsEndPoint.Port)).ToArray();
        if (allowed.Length == 0) throw new CallbackRefusedException($"The callback's host {host} resolves only to addresses this server does not call back");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>A callback this server will not make: its address is not one callbacks may reach. Retrying will not help.</summary>
public sealed class CallbackRefusedException(string message) : Exception(message);
