namespace Scanport.Tests.Surfaces.Aps;

public sealed class ReservedBucketsTests
{
    [Theory]
    [InlineData("oss")]
    [InlineData("authentication")]
    public async Task A_bucket_named_like_an_aps_root_is_refused_at_start_up(string bucket)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => ScanportApp.StartAsync(new Dictionary<string, string> { ["Storage:Buckets:0"] = bucket }));

        Assert.Contains("Storage:Buckets may not name", failure.ToString());
    }
}
