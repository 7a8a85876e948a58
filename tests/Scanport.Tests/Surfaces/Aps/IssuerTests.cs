using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Scanport.Tests.Surfaces.Aps;

public sealed class IssuerTests
{
    [Fact]
    public async Task A_configured_issuer_names_the_server_behind_a_proxy_and_its_tokens_are_accepted()
    {
        const string issuer = "https://scanport.example/";
        var app = await ScanportApp.StartAsync(new Dictionary<string, string> { ["Aps:Authentication:Issuer"] = issuer });
        try
        {
            var aps = await ApsClient.CreateAsync(app);
            using var client = app.Client();

            var discovery = await (await client.GetAsync("/.well-known/openid-configuration")).Status(HttpStatusCode.OK);
            var token = (await aps.TwoLeggedAsync("user-profile:read")).GetProperty("access_token").GetString()!;
            using var key = app.Client(token);

            Assert.Equal(issuer, discovery.GetProperty("issuer").GetString());
            Assert.Equal(issuer, new JsonWebToken(token).Issuer);
            // Authenticated (403: a key has no user profile), not refused as a token of another issuer (401).
            await (await key.GetAsync("/userinfo")).Status(HttpStatusCode.Forbidden);
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }
}
