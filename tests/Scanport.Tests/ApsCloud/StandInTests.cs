using System.Diagnostics;
using System.Net;
using Scanport.ApsCloud;

namespace Scanport.Tests.ApsCloud;

/// <summary>
/// The APS client against a stand-in for Autodesk's cloud, for what only Autodesk does: throttling storms, outages, a
/// token that expires mid-upload, a refused code, a malformed answer, a server that never answers.
/// </summary>
public sealed class StandInTests : IAsyncLifetime
{
    private AutodeskStandIn _cloud = null!;

    public async Task InitializeAsync() => _cloud = await AutodeskStandIn.StartAsync();

    public async Task DisposeAsync() => await _cloud.DisposeAsync();

    [Fact]
    public async Task A_429_storm_is_waited_out_as_Retry_After_says()
    {
        var client = _cloud.Client();
        var clock = Stopwatch.StartNew();
        Assert.Equal("storm", (await client.Oss.BucketAsync("storm")).BucketKey);
        Assert.Equal(3, _cloud.Hits("GET", "/oss/v2/buckets/storm/details"));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"Retry-After: 1, twice, was not honoured ({clock.Elapsed})");
    }

    [Fact]
    public async Task Retry_After_as_an_HTTP_date_is_honoured()
    {
        var client = _cloud.Client();
        var clock = Stopwatch.StartNew();
        Assert.Equal("storm-date", (await client.Oss.BucketAsync("storm-date")).BucketKey);
        Assert.Equal(2, _cloud.Hits("GET", "/oss/v2/buckets/storm-date/details"));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"the Retry-After date was not waited for ({clock.Elapsed})");
    }

    [Fact]
    public async Task Throttling_that_never_ends_is_an_api_error_after_the_bounded_attempts()
    {
        var client = _cloud.Client(maxAttempts: 4);
        var e = await Assert.ThrowsAsync<ApsCloudException>(() => client.Oss.BucketAsync("endless"));
        Assert.Equal((ApsFailure.ApiError, HttpStatusCode.TooManyRequests, "Quota exceeded"), (e.Kind, e.Status, e.Reason));
        Assert.Equal(4, _cloud.Hits("GET", "/oss/v2/buckets/endless/details"));
    }

    [Fact]
    public async Task Service_unavailable_twice_then_success_is_retried_with_back_off()
    {
        var client = _cloud.Client();
        Assert.Equal("flaky", (await client.Oss.BucketAsync("flaky")).BucketKey);
        Assert.Equal(3, _cloud.Hits("GET", "/oss/v2/buckets/flaky/details"));
    }

    [Fact]
    public async Task A_token_that_expires_mid_upload_is_renewed_once_and_the_upload_completes()
    {
        var client = _cloud.Client();
        var content = new GeneratedStream(12 * 1024 * 1024, seed: 11);
        var uploaded = await client.Oss.UploadAsync(AutodeskStandIn.ExpiringBucket, "scan.bin", content);

        Assert.Equal((content.Sha1, 12L * 1024 * 1024), (uploaded.Sha1, uploaded.Size));
        Assert.Equal(2, _cloud.TokensIssued); // the first, and one after the expiry
        Assert.Equal(3, _cloud.HitsUnder("PUT", "/s3/")); // three parts of 5, 5 and 2 MiB went up
        Assert.Equal(3 + 1, _cloud.Hits("GET", $"/oss/v2/buckets/{AutodeskStandIn.ExpiringBucket}/objects/scan.bin/signeds3upload")); // one URL a batch, one 401
        Assert.Empty(_cloud.BearersOnPresignedUrls);
        Assert.True(content.LargestRead <= ApsOss.PartSize, $"read {content.LargestRead} bytes at once");
    }

    [Fact]
    public async Task A_refused_code_is_auth_failed_and_not_retried()
    {
        var client = _cloud.Client();
        var authorization = client.AuthorizeUrl("https://scanport.example/callback");
        Assert.Equal(new Uri(_cloud.BaseAddress, "/authentication/v2/authorize").ToString(), authorization.Url.GetLeftPart(UriPartial.Path));

        var e = await Assert.ThrowsAsync<ApsCloudException>(() =>
            client.ExchangeCodeAsync("expired-code", authorization.CodeVerifier, "https://scanport.example/callback", CancellationToken.None));
        Assert.Equal((ApsFailure.AuthFailed, HttpStatusCode.BadRequest, "invalid_grant"), (e.Kind, e.Status, e.ErrorCode));
        Assert.Equal(1, _cloud.Hits("POST", "/authentication/v2/token"));

        var tokens = await client.ExchangeCodeAsync(AutodeskStandIn.GoodCode, authorization.CodeVerifier, "https://scanport.example/callback", CancellationToken.None);
        Assert.Equal("refresh-1", tokens.RefreshToken);
    }

    [Fact]
    public async Task A_non_idempotent_request_is_not_sent_again_after_a_server_error()
    {
        var client = _cloud.Client();
        var exchange = await Assert.ThrowsAsync<ApsCloudException>(() =>
            client.ExchangeCodeAsync("code-while-unavailable", "v".PadRight(43, 'v'), "https://scanport.example/callback", CancellationToken.None));
        Assert.Equal((ApsFailure.ApiError, HttpStatusCode.ServiceUnavailable), (exchange.Kind, exchange.Status));
        Assert.Equal(1, _cloud.Hits("POST", "/authentication/v2/token"));

        // A forced translation starts a new one each time it is sent: one try. Without force it is safe, so it is retried.
        var forced = await Assert.ThrowsAsync<ApsCloudException>(() => client.Derivatives.TranslateAsync("dXJu", force: true));
        Assert.Equal(("AUTODESK-503", 1), (forced.ErrorCode, _cloud.Hits("POST", "/modelderivative/v2/designdata/job")));
        await Assert.ThrowsAsync<ApsCloudException>(() => client.Derivatives.TranslateAsync("dXJu"));
        Assert.Equal(1 + 4, _cloud.Hits("POST", "/modelderivative/v2/designdata/job"));
    }

    [Fact]
    public async Task A_non_idempotent_request_throttled_before_it_was_acted_on_is_sent_again()
    {
        var job = await _cloud.Client().Derivatives.TranslateAsync(ApsUrns.Encode("throttled"), force: true);
        Assert.Equal("created", job.Result);
        Assert.Equal(2, _cloud.Hits("POST", "/modelderivative/v2/designdata/job"));
    }

    [Fact]
    public async Task The_two_legged_token_is_kept_while_fresh_fetched_once_for_many_callers_and_renewed_before_expiry()
    {
        // Renewed once half its life is gone (the margin is at most half of it): 3 s, long enough that a busy machine
        // finishes the calls below well inside the renewed token's own first half.
        _cloud.TokenLifetimeSeconds = 6;
        var client = _cloud.Client();
        var first = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.TwoLeggedTokenAsync(CancellationToken.None)));
        Assert.Single(first.Distinct());
        Assert.Equal(1, _cloud.TokensIssued);

        await Task.Delay(TimeSpan.FromSeconds(3.5));
        var renewed = await client.TwoLeggedTokenAsync(CancellationToken.None);
        Assert.NotEqual(first[0], renewed);
        Assert.Equal(2, _cloud.TokensIssued);
        Assert.Equal("flaky", (await client.Oss.BucketAsync("flaky")).BucketKey);
        Assert.Equal(2, _cloud.TokensIssued);
    }

    [Fact]
    public async Task Malformed_json_from_the_cloud_is_an_api_error()
    {
        var e = await Assert.ThrowsAsync<ApsCloudException>(() => _cloud.Client().Oss.BucketAsync("broken"));
        Assert.Equal((ApsFailure.ApiError, HttpStatusCode.OK), (e.Kind, e.Status));
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(e.InnerException);
    }

    [Fact]
    public async Task A_cloud_that_never_answers_is_an_api_error_after_each_attempt_times_out()
    {
        var e = await Assert.ThrowsAsync<ApsCloudException>(() => _cloud.Client(maxAttempts: 2, settings: s => s["Aps:RequestTimeout"] = "00:00:01").Oss.BucketAsync("silent"));
        Assert.Equal((ApsFailure.ApiError, (HttpStatusCode?)null), (e.Kind, e.Status));
        Assert.Contains("did not answer", e.Message);
        Assert.Equal(2, _cloud.Hits("GET", "/oss/v2/buckets/silent/details"));
    }

    [Fact]
    public async Task Wrong_client_credentials_and_a_missing_object_have_their_kinds()
    {
        var wrong = await Assert.ThrowsAsync<ApsCloudException>(() => _cloud.Client(secret: "wrong").Oss.BucketAsync("any"));
        Assert.Equal((ApsFailure.AuthFailed, "invalid_client"), (wrong.Kind, wrong.ErrorCode));
        var missing = await Assert.ThrowsAsync<ApsCloudException>(() => _cloud.Client().Oss.BucketAsync("missing"));
        Assert.Equal((ApsFailure.NotFound, "Bucket not found"), (missing.Kind, missing.Reason));
    }

    [Fact]
    public void Options_for_another_cloud_without_credentials_fail_at_start_up()
    {
        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => _cloud.Client(settings: s =>
        {
            s["Aps:ClientId"] = null;
            s["Aps:ClientSecret"] = null;
        }));
        Assert.Contains("Aps:ClientId", e.Message);
    }
}
