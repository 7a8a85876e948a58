using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Identity;
using Scanport.Identity.Oidc;
using Scanport.Tests.Surfaces.Platform;

namespace Scanport.Tests.Identity;

[Collection(AppCollection.Name)]
public sealed class OidcUserResolverTests(ScanportApp app)
{
    private const string Issuer = "https://idp.example.test/tenant";

    [Fact]
    public async Task A_user_is_found_by_verified_email_then_by_the_subject_linked_on_the_way()
    {
        var tenant = await app.NewTenantAsync();
        var site = await tenant.SiteAsync();
        var email = PlatformCalls.NewEmail();
        using var admin = tenant.Admin();
        var created = (await admin.CreateUserAsync(new { email, role = "operator", site_ids = new[] { site } })).Id();
        var subject = Guid.NewGuid().ToString("N");

        var byEmail = await ResolveAsync(new OidcIdentity(Issuer, subject, email.ToUpperInvariant(), EmailVerified: true));
        // The next sign-in needs no email: the provider's subject is linked now.
        var bySubject = await ResolveAsync(new OidcIdentity(Issuer, subject, null, EmailVerified: false));

        foreach (var user in new[] { byEmail, bySubject })
        {
            Assert.NotNull(user);
            Assert.Equal(created, user.Id);
            Assert.Equal(tenant.OrgId, user.OrgId);
            Assert.Equal("operator", user.Role);
            Assert.Equal(new[] { site }, user.Sites.Select(s => s.SiteId));
        }
        Assert.Equal($"{Issuer}|{subject}", bySubject!.ExternalSubject);
    }

    [Fact]
    public async Task An_unverified_email_finds_no_user_unless_the_settings_trust_it()
    {
        var tenant = await app.NewTenantAsync();
        var email = PlatformCalls.NewEmail();
        using var admin = tenant.Admin();
        var created = (await admin.CreateUserAsync(new { email, role = "reviewer" })).Id();
        var identity = new OidcIdentity(Issuer, Guid.NewGuid().ToString("N"), email, EmailVerified: false);

        Assert.Null(await ResolveAsync(identity));
        Assert.Equal(created, (await ResolveAsync(identity, new OidcOptions { TrustUnverifiedEmail = true }))?.Id);
    }

    [Fact]
    public async Task A_user_linked_to_one_subject_is_not_taken_over_by_another_with_the_same_email()
    {
        var tenant = await app.NewTenantAsync();
        var email = PlatformCalls.NewEmail();
        using var admin = tenant.Admin();
        await admin.CreateUserAsync(new { email, role = "operator" });
        Assert.NotNull(await ResolveAsync(new OidcIdentity(Issuer, "first", email, EmailVerified: true)));

        Assert.Null(await ResolveAsync(new OidcIdentity(Issuer, "second", email, EmailVerified: true)));
        Assert.Null(await ResolveAsync(new OidcIdentity("https://other-idp.example.test", "first", email, EmailVerified: true)));
    }

    [Fact]
    public async Task An_identity_matching_no_user_resolves_to_none()
    {
        Assert.Null(await ResolveAsync(new OidcIdentity(Issuer, Guid.NewGuid().ToString("N"), PlatformCalls.NewEmail(), EmailVerified: true)));
        Assert.Null(await ResolveAsync(new OidcIdentity(Issuer, Guid.NewGuid().ToString("N"), null, EmailVerified: true)));
    }

    private async Task<User?> ResolveAsync(OidcIdentity identity, OidcOptions? options = null)
    {
        // A scope per call, as a request would have: nothing is served from one call's change tracker to the next.
        await using var scope = app.Services.CreateAsyncScope();
        var resolver = new OidcUserResolver(scope.ServiceProvider.GetRequiredService<ScanportDb>(), Options.Create(options ?? new OidcOptions()),
            TimeProvider.System, NullLogger<OidcUserResolver>.Instance);
        return await resolver.ResolveAsync(identity);
    }
}
