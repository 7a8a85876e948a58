using Scanport.ApsCloud;

namespace Scanport.Tests.ApsCloud;

/// <summary>Design URNs: written as base64url without padding, read padded or not, in either alphabet.</summary>
public sealed class ApsUrnsTests
{
    [Theory]
    [InlineData("urn:adsk.objects:os.object:bucket/house.obj", "dXJuOmFkc2sub2JqZWN0czpvcy5vYmplY3Q6YnVja2V0L2hvdXNlLm9iag")]
    [InlineData("urn:adsk.objects:os.object:b/é~?>x.ifc", "dXJuOmFkc2sub2JqZWN0czpvcy5vYmplY3Q6Yi_DqX4_PnguaWZj")]
    public void An_object_id_is_written_unpadded_and_read_back_in_every_form(string objectId, string urn)
    {
        Assert.Equal(urn, ApsUrns.Encode(objectId));
        var padded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(objectId));
        Assert.Equal(objectId, ApsUrns.Decode(urn));
        Assert.Equal(objectId, ApsUrns.Decode(padded));
        Assert.Equal(objectId, ApsUrns.Decode(padded.TrimEnd('=').Replace('+', '-').Replace('/', '_')));
    }

    [Fact]
    public void What_is_not_base64_decodes_to_nothing() => Assert.Null(ApsUrns.Decode("not base64!"));
}
