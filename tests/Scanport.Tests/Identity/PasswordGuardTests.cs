using System.Net;
using System.Net.Http.Json;
using Scanport.Tests.Surfaces.Platform;
using Scanport.Tests.Surfaces.Reconstruction3D;

namespace Scanport.Tests.Identity;

/// <summary>An app whose sign-in lock is short enough to wait out in a test (the default is a minute, doubling to 15).</summary>
public sealed class GuardedApp : IAsyncLifetime
{
    public static readonly TimeSpan Lockout = TimeSpan.FromSeconds(4);

    public ScanportApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await ScanportApp.StartAsync(new Dictionary<string, string>
    {
        ["Auth:SignInFailuresPerAccount"] = "5",
        ["Auth:SignInLockout"] = Lockout.ToString(),
    });

    public Task DisposeAsync() => ((IAsyncLifetime)App).DisposeAsync();
}

/// <summary>Password guessing, on every endpoint that checks a password or a client secret, meets one guard.</summary>
public sealed class PasswordGuardTests(GuardedApp fixture) : IClassFixture<GuardedApp>
{
    private const string Password = PlatformCalls.UserPassword;
    private ScanportApp App => fixture.App;

    private async Task<string> UserEmailAsync()
    {
        var tenant = await App.NewTenantAsync();
        using var admin = tenant.Admin();
        var email = PlatformCalls.NewEmail();
        await admin.CreateUserAsync(new { email, role = "operator", password = Password });
        return email;
    }

    private Task<HttpResponseMessage> PlatformSignInAsync(string email, string password) =>
        App.PostTokenAsync(("grant_type", "password"), ("username", email), ("password", password));

    private async Task<HttpResponseMessage> ReconSignInAsync(string username, string password)
    {
        using var anonymous = App.Client();
        return await anonymous.PostAsync($"{ReconCalls.Base}/auth/token",
            PlatformCalls.Form(("username", username), ("password", password)));
    }

    private static async Task<(HttpStatusCode, string)> AnswerAsync(HttpResponseMessage response) =>
        (response.StatusCode, await response.Content.ReadAsStringAsync());

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_on_the_platform_token_endpoint_even_for_the_right_password()
    {
        var email = await UserEmailAsync();
        for (var i = 0; i < 5; i++)
            await (await PlatformSignInAsync(email, $"wrong-guess-{i}")).OAuthError(HttpStatusCode.BadRequest, "invalid_grant");
        var wrong = await AnswerAsync(await PlatformSignInAsync(email, "wrong-guess-5"));

        var right = await AnswerAsync(await PlatformSignInAsync(email, Password));

        Assert.Equal(wrong, right);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_on_the_reconstruction_token_endpoint_even_for_the_right_password()
    {
        var (username, client) = await App.UserAsync();
        client.Dispose();
        for (var i = 0; i < 5; i++)
            Assert.Equal("Incorrect username or password", await (await ReconSignInAsync(username, $"wrong-guess-{i}")).DetailAsync(HttpStatusCode.Unauthorized));
        var wrong = await AnswerAsync(await ReconSignInAsync(username, "wrong-guess-5"));

        var right = await AnswerAsync(await ReconSignInAsync(username, "Orbit-30-frames"));

        Assert.Equal(wrong, right);
    }

    [Fact]
    public async Task The_lock_expires_and_a_success_starts_the_count_again()
    {
        var email = await UserEmailAsync();
        for (var i = 0; i < 5; i++) await PlatformSignInAsync(email, $"wrong-guess-{i}");
        Assert.Equal(HttpStatusCode.BadRequest, (await PlatformSignInAsync(email, Password)).StatusCode);

        await Task.Delay(GuardedApp.Lockout + TimeSpan.FromSeconds(1));

        await (await PlatformSignInAsync(email, Password)).Status(HttpStatusCode.OK);
        for (var i = 0; i < 4; i++) await PlatformSignInAsync(email, $"wrong-again-{i}");
        await (await PlatformSignInAsync(email, Password)).Status(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Failures_on_one_surface_count_on_the_other()
    {
        var (username, client) = await App.UserAsync();
        client.Dispose();
        var email = $"{username}@recon.test";
        for (var i = 0; i < 3; i++) await PlatformSignInAsync(email, $"wrong-guess-{i}");
        for (var i = 0; i < 2; i++) await ReconSignInAsync(username, $"wrong-guess-{i}");

        await (await PlatformSignInAsync(email, "Orbit-30-frames")).OAuthError(HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal("Incorrect username or password", await (await ReconSignInAsync(username, "Orbit-30-frames")).DetailAsync(HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task An_unknown_account_and_a_wrong_password_get_the_same_bytes_on_both_endpoints()
    {
        var (username, client) = await App.UserAsync();
        client.Dispose();
        var email = $"{username}@recon.test";
        var nobody = $"nobody-{Guid.NewGuid():N}@recon.test";

        Assert.Equal(await AnswerAsync(await PlatformSignInAsync(email, "wrong-guess")), await AnswerAsync(await PlatformSignInAsync(nobody, "wrong-guess")));
        Assert.Equal(await AnswerAsync(await ReconSignInAsync(username, "wrong-guess")), await AnswerAsync(await ReconSignInAsync(nobody, "wrong-guess")));
        Assert.Equal(await AnswerAsync(await ReconSignInAsync(email, "wrong-guess")), await AnswerAsync(await ReconSignInAsync("no-such-user", "wrong-guess")));
    }

    [Fact]
    public async Task Five_wrong_secrets_lock_an_api_key_out_of_client_credentials()
    {
        var tenant = await App.NewTenantAsync();
        var (keyId, secret) = await tenant.ApiKeyAsync();
        var wrong = secret[..^4] + (secret.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        for (var i = 0; i < 5; i++)
            await App.PostTokenAsync(("grant_type", "client_credentials"), ("client_id", keyId.ToString()), ("client_secret", wrong));
        var refused = await AnswerAsync(await App.PostTokenAsync(("grant_type", "client_credentials"), ("client_id", keyId.ToString()), ("client_secret", wrong)));

        var right = await AnswerAsync(await App.PostTokenAsync(("grant_type", "client_credentials"), ("client_id", keyId.ToString()), ("client_secret", secret)));

        Assert.Equal(refused, right);
        Assert.Equal(HttpStatusCode.Unauthorized, right.Item1);
    }

    [Fact]
    public async Task Failures_from_one_address_at_many_accounts_lock_that_address()
    {
        var app = await ScanportApp.StartAsync(new Dictionary<string, string>
        {
            ["Auth:SignInFailuresPerAddress"] = "3",
            ["Auth:SignInLockout"] = GuardedApp.Lockout.ToString(),
        });
        try
        {
            using var anonymous = app.Client();
            for (var i = 0; i < 3; i++)
                await anonymous.PostAsync($"{ReconCalls.Base}/auth/token", PlatformCalls.Form(("username", $"guess-{i}@recon.test"), ("password", "wrong-guess")));

            var response = await app.PostTokenAsync(("grant_type", "password"), ("username", ScanportApp.AdminEmail), ("password", ScanportApp.AdminPassword));

            await response.OAuthError(HttpStatusCode.BadRequest, "invalid_grant");
            await Task.Delay(GuardedApp.Lockout + TimeSpan.FromSeconds(1));
            await app.AdminTokenAsync();
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }
}
