using Microsoft.Extensions.Options;
using Scanport.Storage;

namespace Scanport.Tests.Storage;

/// <summary><see cref="TenantBuckets"/>: an organization's logical buckets kept as prefixes of the platform's own bucket.</summary>
public sealed class TenantBucketsTests
{
    private static readonly Guid Org = Guid.Parse("0190a1b2-0000-7000-8000-000000000001");
    private readonly TenantBuckets _buckets = new(Options.Create(new StorageOptions { Buckets = ["platform", "other"] }));

    [Theory]
    [InlineData("abc")]
    [InlineData("my-bucket_1.v2")]
    public void APS_bucket_keys_are_valid(string key) => Assert.True(TenantBuckets.IsValidKey(key));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("My-Bucket")]
    [InlineData("with space")]
    [InlineData("slash/inside")]
    [InlineData("dépôt")]
    public void Other_keys_are_not(string? key) => Assert.False(TenantBuckets.IsValidKey(key));

    [Fact]
    public void A_key_is_at_most_128_characters() =>
        Assert.Equal((true, false), (TenantBuckets.IsValidKey(new string('k', 128)), TenantBuckets.IsValidKey(new string('k', 129))));

    [Fact]
    public void A_logical_bucket_is_a_prefix_of_the_platforms_bucket_under_its_organization()
    {
        var bucket = _buckets.Find(Org, "site-scans")!;

        Assert.Equal("platform", bucket.Bucket);
        Assert.Equal("buckets/0190a1b2-0000-7000-8000-000000000001/site-scans/", bucket.Prefix);
        Assert.StartsWith(TenantBuckets.OrganizationPrefix(Org), bucket.Prefix);
        Assert.Equal(bucket.Prefix + "floor 1/scan.rcp", bucket.ObjectKey("floor 1/scan.rcp"));
        Assert.Equal("floor 1/scan.rcp", bucket.ObjectName(bucket.Prefix + "floor 1/scan.rcp"));
    }

    [Fact]
    public void The_same_key_of_two_organizations_is_two_places()
    {
        var other = Guid.Parse("0190a1b2-0000-7000-8000-000000000002");

        Assert.NotEqual(_buckets.Find(Org, "scans")!.Prefix, _buckets.Find(other, "scans")!.Prefix);
    }

    [Fact]
    public void An_invalid_key_maps_nowhere() => Assert.Null(_buckets.Find(Org, "Not Valid"));

    [Fact]
    public void An_object_key_that_is_empty_or_would_pass_S3s_limit_is_refused()
    {
        var bucket = _buckets.Find(Org, "scans")!;
        var longest = new string('x', TenantBucket.MaxStoreKeyBytes - bucket.Prefix.Length);

        Assert.Null(bucket.ObjectKey(""));
        Assert.NotNull(bucket.ObjectKey(longest));
        Assert.Null(bucket.ObjectKey(longest + "x"));
        Assert.Null(bucket.ObjectKey(longest[..^1] + "é")); // two bytes in UTF-8
    }
}
