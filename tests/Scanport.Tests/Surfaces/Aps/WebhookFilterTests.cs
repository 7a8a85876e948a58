using System.Text.Json.Nodes;
using Scanport.Surfaces.Aps.Webhooks;

namespace Scanport.Tests.Surfaces.Aps;

public sealed class WebhookFilterTests
{
    private static readonly JsonNode Payload = JsonNode.Parse("""
        {"TimeStamp": 1513134729128, "URN": "dXJu", "EventType": "EXTRACTION_FINISHED",
         "Payload": {"status": "failed", "progress": "complete", "registerKey": [{"name": "test123"}, {"name": "other"}], "size": 42}}
        """)!;

    [Theory]
    [InlineData("$[?(@.Payload.status == 'failed')]", true)]
    [InlineData("$[?(@.Payload.status == \"success\")]", false)]
    [InlineData("$[?(@.Payload.status in ['failed','timeout'])]", true)]
    [InlineData("$[?(@.Payload.status nin ['failed','timeout'])]", false)]
    [InlineData("$[?((@.EventType == 'EXTRACTION_FINISHED' && @.Payload.status == 'failed') || 'test123' in @.Payload.registerKey[*].name)]", true)]
    [InlineData("$[?(@.EventType == 'EXTRACTION_UPDATED' || 'nope' in @.Payload.registerKey[*].name)]", false)]
    [InlineData("$[?('test123' in @.Payload.registerKey[*].name)]", true)]
    [InlineData("$[?(@.Payload.size >= 42 && @.Payload.size < 43)]", true)]
    [InlineData("$[?(@.Payload.size > 42)]", false)]
    [InlineData("$[?(@['Payload']['registerKey'][1].name == 'other')]", true)]
    [InlineData("$[?(@.Payload.missing)]", false)]
    [InlineData("$[?(!@.Payload.missing)]", true)]
    [InlineData("$[?(@.Payload.status != 'failed')]", false)]
    [InlineData("[\"$[?(@.Payload.size>=10)]\", \"$[?(@.EventType=='EXTRACTION_FINISHED')]\"]", true)]
    [InlineData("[\"$[?(@.Payload.size>=10)]\", \"$[?(@.EventType=='EXTRACTION_UPDATED')]\"]", false)]
    public void A_filter_matches_the_callbacks_payload_as_jsonpath_does(string filter, bool matches)
    {
        var parsed = HookFilter.Parse(filter, out var error);

        Assert.True(parsed is not null, error);
        Assert.Equal(matches, parsed.Matches(Payload));
    }

    [Theory]
    [InlineData("@.ext == 'txt'")]
    [InlineData("$[?(@.ext == 'txt')")]
    [InlineData("$[?(@.ext == 'txt)]")]
    [InlineData("$[?(@.ext ~= 'txt')]")]
    [InlineData("[]")]
    [InlineData("[1]")]
    [InlineData("$[?(@.ext == 'txt')] trailing")]
    public void A_filter_it_cannot_read_is_refused_with_a_reason(string filter)
    {
        Assert.Null(HookFilter.Parse(filter, out var error));
        Assert.Contains("filter", error);
    }
}
