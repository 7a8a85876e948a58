using Scanport.Storage.Embedded;

namespace Scanport.Tests.Storage;

/// <summary>The inline session policy of STS AssumeRole, read as strictly as the JSON bodies of the APIs.</summary>
public sealed class SessionPolicyTests
{
    private static readonly string[] Buckets = ["scanport"];

    [Fact]
    public void A_policy_for_a_prefix_grants_its_actions_there()
    {
        var scope = StsEndpoint.ScopeFromPolicy(
            """{"Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::scanport/team/*"}]}""", Buckets);

        Assert.Equal(("scanport", "team/"), (scope?.Bucket, scope?.Prefix));
    }

    [Theory]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::scanport/team/*","Resource":"arn:aws:s3:::scanport/*"}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Deny","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::scanport/team/*"}]}""")]
    [InlineData("""{"Statement":[],"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::scanport/team/*"}]}""")]
    public void A_policy_naming_a_key_twice_is_refused(string policy)
    {
        Assert.Null(StsEndpoint.ScopeFromPolicy(policy, Buckets));
    }
}
