using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.Configuration;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Scanport.Identity.Oidc;

/// <summary>
/// One configured issuer and its cached discovery document and keys. The library's
/// <see cref="ConfigurationManager{T}"/> caches and refreshes on its own schedule; this class adds a
/// refresh that a caller can wait for, at most once per <see cref="OidcOptions.KeyRefreshInterval"/>,
/// so a token signed with a just-rotated key is accepted on its first try.
/// </summary>
internal sealed class TrustedIssuer
{
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _metadata;
    private readonly MetadataUpdates _updates;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _refreshInterval;
    private readonly TimeSpan _refreshTimeout;
    private readonly Lock _gate = new();
    private DateTimeOffset _lastRefresh = DateTimeOffset.MinValue;
    private Task<bool>? _refresh;

    public TrustedIssuer(OidcIssuerOptions options, OidcOptions oidc, HttpClient http, TimeProvider clock)
    {
        Options = options;
        _clock = clock;
        _refreshInterval = oidc.KeyRefreshInterval;
        _refreshTimeout = oidc.HttpTimeout * 2; // discovery, then the key set
        _updates = new MetadataUpdates(new HttpDocumentRetriever(http) { RequireHttps = options.RequireHttps });
        _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(
            options.MetadataAddress, new OpenIdConnectConfigurationRetriever(), _updates)
        {
            AutomaticRefreshInterval = oidc.MetadataRefreshInterval,
            // The library's own limit stays below ours, so a refresh this class asks for is never skipped.
            RefreshInterval = ConfigurationManager<OpenIdConnectConfiguration>.MinimumRefreshInterval,
            ConfigurationEventHandler = _updates,
        };
    }

    public OidcIssuerOptions Options { get; }

    /// <summary>The cached metadata, fetched on first use; throws when it cannot be had.</summary>
    public Task<OpenIdConnectConfiguration> MetadataAsync(CancellationToken ct) => _metadata.GetConfigurationAsync(ct);

    /// <summary>
    /// Fetches the metadata again unless that was done less than the refresh interval ago; joins a refresh
    /// already under way. True when new metadata arrived.
    /// </summary>
    public async Task<bool> RefreshAsync(CancellationToken ct)
    {
        Task<bool> refresh;
        lock (_gate)
        {
            if (_refresh is { IsCompleted: false } running)
                refresh = running;
            else if (_clock.GetUtcNow() < _lastRefresh + _refreshInterval)
                return false;
            else
            {
                _lastRefresh = _clock.GetUtcNow();
                // Taken before asking, so an update that completes at once is not missed.
                refresh = _refresh = _updates.Next.WaitAsync(_refreshTimeout, _clock);
                // The library fetches on a background thread and tells _updates when it is done.
                _metadata.RequestRefresh();
            }
        }
        try
        {
            return await refresh.WaitAsync(ct);
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// Completes a task with true each time the library has stored newly fetched metadata, and with false
    /// as soon as a fetch fails (the library only logs those), so a waiting caller is not held until the timeout.
    /// </summary>
    private sealed class MetadataUpdates(IDocumentRetriever documents) : IConfigurationEventHandler<OpenIdConnectConfiguration>, IDocumentRetriever
    {
        private TaskCompletionSource<bool> _next = NewSignal();

        public Task<bool> Next => Volatile.Read(ref _next).Task;

        public async Task<string> GetDocumentAsync(string address, CancellationToken cancel)
        {
            try
            {
                return await documents.GetDocumentAsync(address, cancel);
            }
            catch
            {
                Interlocked.Exchange(ref _next, NewSignal()).TrySetResult(false);
                throw;
            }
        }

        public Task<ConfigurationEventHandlerResult<OpenIdConnectConfiguration>> BeforeRetrieveAsync(string metadataAddress, CancellationToken cancellationToken) =>
            Task.FromResult(ConfigurationEventHandlerResult<OpenIdConnectConfiguration>.NoResult);

        public Task AfterUpdateAsync(string metadataAddress, OpenIdConnectConfiguration configuration, CancellationToken cancellationToken)
        {
            Interlocked.Exchange(ref _next, NewSignal()).TrySetResult(true);
            return Task.CompletedTask;
        }

        private static TaskCompletionSource<bool> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
