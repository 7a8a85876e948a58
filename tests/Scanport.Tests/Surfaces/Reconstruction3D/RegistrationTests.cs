using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scanport.Tests.Surfaces.BodyScan;

namespace Scanport.Tests.Surfaces.Reconstruction3D;

/// <summary>Who a stranger becomes by registering: the admin of an organization of their own, unless the operator names one.</summary>
[Collection(AppCollection.Name)]
public sealed class RegistrationTests(ScanportApp app)
{
    private const string Base = ReconCalls.Base;

    private static async Task<JsonElement> PlatformMeAsync(HttpClient client) =>
        await (await client.GetAsync("/platform/v1/me")).Status(HttpStatusCode.OK);

    private static Task<HttpResponseMessage> RegisterAsync(HttpClient anonymous, string username, string? email = null) =>
        anonymous.PostAsJsonAsync($"{Base}/auth/register", new { username, email = email ?? $"{username}@recon.test", password = "Orbit-30-frames" });

    [Fact]
    public async Task Self_registered_users_get_organizations_of_their_own_and_cannot_see_each_others_projects()
    {
        var (_, first) = await app.UserAsync();
        var (_, second) = await app.UserAsync();
        using var _1 = first;
        using var _2 = second;
        using var admin = app.Client(await app.AdminTokenAsync());

        var (firstMe, secondMe, adminMe) = (await PlatformMeAsync(first), await PlatformMeAsync(second), await PlatformMeAsync(admin));

        Assert.NotEqual(firstMe.GetProperty("org_id").GetGuid(), secondMe.GetProperty("org_id").GetGuid());
        Assert.NotEqual(adminMe.GetProperty("org_id").GetGuid(), firstMe.GetProperty("org_id").GetGuid());
        Assert.Equal("admin", firstMe.GetProperty("role").GetString());
        var id = await first.ProjectAsync();
        Assert.Equal("Project not found", await (await second.GetAsync($"{Base}/projects/{id}")).DetailAsync(HttpStatusCode.NotFound));
        await (await first.DeleteAsync($"{Base}/projects/{id}")).Status(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_registered_user_cannot_read_a_body_scan_of_the_installation()
    {
        using var admin = app.Client(await app.AdminTokenAsync());
        var scanId = await admin.InitAsync();
        var (_, stranger) = await app.UserAsync();
        using var _1 = stranger;

        var response = await stranger.GetAsync($"/api/scan/status?scanId={scanId}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await admin.StatusAsync(scanId);
    }

    [Fact]
    public async Task A_taken_email_answers_like_a_taken_username()
    {
        using var anonymous = app.Client();
        var name = $"taken_{Guid.NewGuid():N}"[..20];
        await (await RegisterAsync(anonymous, name)).Status(HttpStatusCode.Created);

        var takenName = await RegisterAsync(anonymous, name, $"other_{name}@recon.test");
        var takenEmail = await RegisterAsync(anonymous, $"x{name}", $"{name.ToUpperInvariant()}@RECON.test");

        Assert.Equal(HttpStatusCode.BadRequest, takenName.StatusCode);
        Assert.Equal((takenName.StatusCode, await takenName.Content.ReadAsStringAsync()), (takenEmail.StatusCode, await takenEmail.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData("reviewer")]
    [InlineData("operator")]
    public async Task Registering_into_a_named_organization_gives_the_configured_role(string role)
    {
        var named = await ScanportApp.StartAsync(new Dictionary<string, string>
        {
            ["Bootstrap:OrgName"] = "Scan studio",
            ["Surfaces:Reconstruction3D:RegistrationOrganization"] = "Scan studio",
            ["Surfaces:Reconstruction3D:RegistrationRole"] = role,
        });
        try
        {
            using var admin = named.Client(await named.AdminTokenAsync());
            var (_, user) = await named.UserAsync();
            using var _1 = user;

            var me = await PlatformMeAsync(user);

            Assert.Equal(role, me.GetProperty("role").GetString());
            Assert.Equal((await PlatformMeAsync(admin)).GetProperty("org_id").GetGuid(), me.GetProperty("org_id").GetGuid());
        }
        finally
        {
            await ((IAsyncLifetime)named).DisposeAsync();
        }
    }

    [Fact]
    public async Task A_registration_role_above_operator_stops_the_start_up()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ScanportApp.StartAsync(new Dictionary<string, string>
        {
            ["Surfaces:Reconstruction3D:RegistrationOrganization"] = "default",
            ["Surfaces:Reconstruction3D:RegistrationRole"] = "admin",
        }));

        Assert.Contains("RegistrationRole", error.ToString());
    }

    [Fact]
    public async Task Registrations_are_limited_per_address_in_fastapis_shape()
    {
        var limited = await ScanportApp.StartAsync(new Dictionary<string, string> { ["Surfaces:Reconstruction3D:RegistrationsPerHour"] = "2" });
        try
        {
            using var anonymous = limited.Client();
            for (var i = 0; i < 2; i++)
                await (await RegisterAsync(anonymous, $"limited_{i}_{Guid.NewGuid():N}"[..24])).Status(HttpStatusCode.Created);

            var refused = await RegisterAsync(anonymous, $"limited_3_{Guid.NewGuid():N}"[..24]);

            Assert.NotNull(await refused.DetailAsync(HttpStatusCode.TooManyRequests));
            Assert.NotNull(refused.Headers.RetryAfter);
        }
        finally
        {
            await ((IAsyncLifetime)limited).DisposeAsync();
        }
    }
}
