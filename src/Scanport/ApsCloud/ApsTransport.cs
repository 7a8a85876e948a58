using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Scanport.ApsCloud;

/// <summary>Whether a request may be sent again after a failure whose effect is unknown.</summary>
internal enum Replay
{
    /// <summary>Idempotent (GET, PUT, DELETE, a token for client credentials): retried on 429, 408, 5xx and network failures.</summary>
    Safe,

    /// <summary>Not idempotent (a code exchange, a rotated refresh, a completion): retried only on 429, which APS answers before acting.</summary>
    ThrottledOnly,
}

/// <summary>
/// Sends one APS call: a fresh request per attempt (so a part's bytes and a renewed bearer go again), back-off with jitter
/// on 429, 408, 5xx and network failures, <c>Retry-After</c> honoured in seconds or as an HTTP date, a 401 answered by
/// renewing the two-legged token once, a time limit per attempt and for the whole, and every failure an
/// <see cref="ApsCloudException"/>.
/// </summary>
internal sealed class ApsTransport(HttpClient http, ApsCloudOptions options, TimeProvider clock, ILogger logger)
{
    public ApsCloudOptions Options => options;
    public TimeProvider Clock => clock;

    /// <summary>
    /// The successful answer (its body buffered unless <paramref name="stream"/>); the caller disposes it.
    /// <paramref name="build"/> makes the request anew for each attempt; <paramref name="token"/> gives the bearer, if any.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(string operation, Func<HttpRequestMessage> build, Replay replay, ApsBearer? token,
        CancellationToken ct, bool oauth = false, bool stream = false, Func<HttpResponseMessage, bool>? accept = null)
    {
        var started = clock.GetTimestamp();
        var renewed = false;
        for (var attempt = 1; ; attempt++)
        {
            var bearer = token is null ? null : await token.GetAsync(ct);
            HttpResponseMessage? response = null;
            Exception? failure = null;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                timeout.CancelAfter(options.RequestTimeout);
                using var request = build();
                if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
                try
                {
                    response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                    if (!stream || !response.IsSuccessStatusCode) await response.Content.LoadIntoBufferAsync(timeout.Token);
                }
                catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
                {
                    response?.Dispose();
                    response = null;
                    failure = e;
                }
            }

            if (response is not null && (response.IsSuccessStatusCode || accept?.Invoke(response) == true)) return response;

            if (response is { StatusCode: HttpStatusCode.Unauthorized } && token is { Renewable: true } && !renewed)
            {
                // An expired or revoked token mid-operation: APS acted on nothing, so a new token and the same request is safe.
                logger.LogInformation("APS {Operation}: token refused, renewing it once", operation);
                token.Invalidate(bearer!);
                renewed = true;
                response.Dispose();
                attempt--;
                continue;
            }

            var status = response?.StatusCode;
            var retryable = status is null ? replay == Replay.Safe
                : status == HttpStatusCode.TooManyRequests || (replay == Replay.Safe && (status == HttpStatusCode.RequestTimeout || (int)status >= 500));
            var elapsed = clock.GetElapsedTime(started);
            var wait = retryable && attempt < options.MaxAttempts ? Delay(response, attempt) : null;
            if (wait is not { } delay || elapsed + delay > options.MaxRetryTime)
            {
                if (response is null)
                    throw new ApsCloudException(ApsFailure.ApiError, failure is OperationCanceledException
                        ? $"{operation}: APS did not answer within {options.RequestTimeout.TotalSeconds:0.#} s (attempt {attempt})"
                        : $"{operation}: APS could not be reached (attempt {attempt}): {failure!.Message}", inner: failure);
                using (response) throw await ApsCloudException.FromResponseAsync(response, operation, oauth, ct);
            }

            logger.LogWarning("APS {Operation}: attempt {Attempt} failed ({Status}), retrying in {Delay}", operation, attempt,
                status is null ? failure!.GetType().Name : (int)status, delay);
            response?.Dispose();
            await Task.Delay(delay, clock, ct);
        }
    }

    /// <summary>Sends and reads the JSON answer; a body that is not the expected JSON is the cloud's failure.</summary>
    public async Task<T> JsonAsync<T>(string operation, Func<HttpRequestMessage> build, Replay replay, ApsBearer? token, CancellationToken ct,
        bool oauth = false)
    {
        using var response = await SendAsync(operation, build, replay, token, ct, oauth);
        return await ReadAsync<T>(response, operation, ct);
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, string operation, CancellationToken ct)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            return await JsonSerializer.DeserializeAsync<T>(body, ApsJson.Options, ct)
                ?? throw new JsonException("the answer is null");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException)
        {
            throw new ApsCloudException(ApsFailure.ApiError, $"{operation}: APS answered {(int)response.StatusCode} with a body that is not its protocol: {e.Message}",
                response.StatusCode, inner: e);
        }
    }

    /// <summary>How long to wait before attempt <paramref name="attempt"/> + 1: the server's Retry-After, else exponential back-off with jitter.</summary>
    private TimeSpan? Delay(HttpResponseMessage? response, int attempt)
    {
        if (response?.Headers.RetryAfter is { } after)
        {
            var asked = after.Delta ?? (after.Date is { } date ? date - clock.GetUtcNow() : TimeSpan.Zero);
            if (asked < TimeSpan.Zero) asked = TimeSpan.Zero;
            return asked <= options.MaxRetryDelay ? asked : null;
        }
        var ceiling = Math.Min(options.MaxRetryDelay.TotalMilliseconds, options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + Random.Shared.NextDouble() / 2));
    }
}

internal static class ApsJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
