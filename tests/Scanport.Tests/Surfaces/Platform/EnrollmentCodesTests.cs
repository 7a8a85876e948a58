using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scanport.Tests.Surfaces.Platform;

[Collection(AppCollection.Name)]
public sealed class EnrollmentCodesTests(ScanportApp app)
{
    private const string Codes = $"{PlatformCalls.Base}/devices/enrollment-codes";
    private const string CodePattern = "^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$";

    private static void AssertExpiresIn(JsonElement code, TimeSpan lifetime)
    {
        var expiresAt = DateTimeOffset.Parse(code.GetProperty("expires_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var expected = TimeProvider.System.GetUtcNow() + lifetime;
        Assert.InRange(expiresAt, expected - TimeSpan.FromMinutes(1), expected + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Admin_gets_a_one_time_code_that_expires_in_a_day()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();

        var code = await (await admin.PostAsJsonAsync(Codes, new { })).Status(HttpStatusCode.Created);

        Assert.Equal(["code", "expires_at", "site_id"], code.EnumerateObject().Select(p => p.Name).Order());
        Assert.Matches(CodePattern, code.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, code.GetProperty("site_id").ValueKind);
        AssertExpiresIn(code, TimeSpan.FromHours(24));
        var another = await (await admin.PostAsJsonAsync(Codes, new { })).Status(HttpStatusCode.Created);
        Assert.NotEqual(code.GetProperty("code").GetString(), another.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_request_without_a_body_gets_a_default_code()
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();

        var code = await (await admin.PostAsync(Codes, null)).Status(HttpStatusCode.Created);

        Assert.Matches(CodePattern, code.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_code_can_be_bound_to_a_site_and_given_a_lifetime()
    {
        var tenant = await app.NewTenantAsync();
        var site = await tenant.SiteAsync();
        using var admin = tenant.Admin();

        var code = await (await admin.PostAsJsonAsync(Codes, new { site_id = site, expires_in = 3600 })).Status(HttpStatusCode.Created);

        Assert.Equal(site, code.GetProperty("site_id").GetGuid());
        AssertExpiresIn(code, TimeSpan.FromHours(1));
    }

    [Theory]
    [InlineData(60, true)]
    [InlineData(2592000, true)]
    [InlineData(59, false)]
    [InlineData(0, false)]
    [InlineData(-3600, false)]
    [InlineData(2592001, false)]
    [InlineData(int.MaxValue, false)]
    public async Task Lifetimes_from_a_minute_to_thirty_days_are_accepted(int expiresIn, bool accepted)
    {
        var tenant = await app.NewTenantAsync();
        using var admin = tenant.Admin();

        var response = await admin.PostAsJsonAsync(Codes, new { expires_in = expiresIn });

        if (accepted) AssertExpiresIn(await response.Status(HttpStatusCode.Created), TimeSpan.FromSeconds(expiresIn));
        else await response.Invalid("expires_in");
    }

    [Fact]
    public async Task Another_organizations_site_is_refused()
    {
        var tenant = await app.NewTenantAsync();
        var other = await app.NewTenantAsync();
        var foreign = await other.SiteAsync();
        using var admin = tenant.Admin();

        await (await admin.PostAsJsonAsync(Codes, new { site_id = foreign })).Invalid("site_id");
        await (await admin.PostAsJsonAsync(Codes, new { site_id = Guid.NewGuid() })).Invalid("site_id");
    }

    [Theory]
    [InlineData("operator")]
    [InlineData("reviewer")]
    public async Task Non_admins_cannot_create_codes(string role)
    {
        var tenant = await app.NewTenantAsync();
        var (_, token) = await tenant.UserAsync(role);
        using var client = app.Client(token);

        await (await client.PostAsJsonAsync(Codes, new { })).Problem(HttpStatusCode.Forbidden);
    }
}
