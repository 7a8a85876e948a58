using Scanport.Surfaces.Aps.Webhooks;

namespace Scanport.Tests.Surfaces.Aps;

public sealed class CallbackNetworksTests
{
    [Fact]
    public async Task A_callback_network_that_is_no_cidr_stops_the_start()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() =>
            ScanportApp.StartAsync(new Dictionary<string, string> { ["Aps:Webhooks:AllowedCallbackNetworks:0"] = "10.0.0.0/33" }));

        Assert.Contains("AllowedCallbackNetworks", failure.ToString());
    }

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("10.200.0.1", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("93.184.216.34", true)]
    [InlineData("2001:db8::1", true)]
    [InlineData("fd12::1", false)]
    public void Internal_addresses_are_refused_unless_in_an_allowed_network(string address, bool allowed)
    {
        var networks = new CallbackNetworks(Microsoft.Extensions.Options.Options.Create(new WebhooksOptions { AllowedCallbackNetworks = ["10.1.0.0/16"] }));

        Assert.Equal(allowed, networks.Allows(System.Net.IPAddress.Parse(address)));
    }
}
