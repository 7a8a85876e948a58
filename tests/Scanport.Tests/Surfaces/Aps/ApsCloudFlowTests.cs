using Scanport.ApsCloud;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Scanport.Surfaces.Aps.Oss;
using static Scanport.Tests.Surfaces.Aps.WebhookCalls;

namespace Scanport.Tests.Surfaces.Aps;

/// <summary>
/// The APS cloud end to end, as an application uses it, each service through the client people use: a two-legged token,
/// a bucket and a signed upload with APS's OSS client, a translation with APS's Model Derivative client whose
/// <c>misc.workflow</c> a hook listens to, and the signed <c>extraction.finished</c> callback at a real receiver.
/// </summary>
public sealed class ApsCloudFlowTests(DeliveryApp fixture) : IClassFixture<DeliveryApp>
{
    private const string Scopes = "bucket:create bucket:read data:read data:write data:create viewables:read";

    [Fact]
    public async Task An_upload_translated_with_the_official_clients_ends_in_a_signed_callback()
    {
        var app = fixture.App;
        var aps = await ApsClient.CreateAsync(app);
        var oss = await aps.OssAsync(Scopes);
        using var http = oss.Http();

        // A webhook on the workflow, signed with the application's secret token.
        await (await http.PostAsJsonAsync(Tokens, new { token = "flow-secret" })).Status(HttpStatusCode.OK);
        var workflow = NewWorkflow();
        var callbackUrl = fixture.Receiver.NewUrl();
        await http.CreateHookAsync(callbackUrl, workflow);

        // A bucket and the model, through OSS's signed S3 upload, as the SDK does it.
        var bucketKey = OssSdk.NewBucketKey("flow");
        await oss.OkAsync("createBucket", new { bucketKey, policyKey = "persistent" });
        var model = Path.Combine(ModelDerivativeCalls.Models, "tetrahedron.stl");
        var uploaded = await oss.OkAsync("uploadObject", new { bucketKey, objectKey = "designs/tetrahedron.stl", file = model });
        var objectId = uploaded.GetProperty("objectId").GetString()!;
        Assert.Equal(ApsUrns.ObjectId(bucketKey, "designs/tetrahedron.stl"), objectId);
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(File.ReadAllBytes(model))), uploaded.GetProperty("sha1").GetString());

        // The translation, with Model Derivative's client, until the manifest says success.
        var urn = ApsUrns.Encode(objectId);
        var md = new ModelDerivativeCalls(aps, oss.Token, bucketKey);
        var job = new
        {
            input = new { urn },
            output = new { formats = new[] { new { type = "svf2", views = new[] { "3d" } } } },
            misc = new { workflow, workflowAttribute = new { project = "flow" } },
        };
        var (report, _) = await md.SdkAsync(urn, ["job", "wait"], job);
        Assert.Equal("success", report.GetProperty("manifest").GetProperty("status").GetString());

        // The callback: APS's body, for this URN and workflow, signed with HMAC-SHA1 of the exact body.
        var callback = Assert.Single(await fixture.Receiver.WaitAsync(callbackUrl));
        Assert.Equal("sha1hash=" + Convert.ToHexStringLower(HMACSHA1.HashData("flow-secret"u8, callback.Body)), callback.Header("x-adsk-signature"));
        var body = JsonDocument.Parse(callback.Body).RootElement;
        Assert.Equal(urn, body.GetProperty("resourceUrn").GetString());
        Assert.Equal("extraction.finished", body.GetProperty("hook").GetProperty("event").GetString());
        var payload = body.GetProperty("payload");
        Assert.Equal("EXTRACTION_FINISHED", payload.GetProperty("EventType").GetString());
        Assert.Equal("success", payload.GetProperty("Payload").GetProperty("status").GetString());
        Assert.Equal(workflow, payload.GetProperty("Payload").GetProperty("workflowId").GetString());
        Assert.Equal("flow", payload.GetProperty("Payload").GetProperty("workflowAttribute").GetProperty("project").GetString());
    }
}
