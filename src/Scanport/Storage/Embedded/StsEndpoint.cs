using System.Globalization;
using System.Security;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Scanport.Storage.Embedded;

/// <summary>
/// STS <c>AssumeRole</c> on the embedded endpoint, so the <c>s3</c> provider's credential path works against it
/// as against AWS or MinIO: the root key may assume any role, and the inline session policy (the one the
/// provider writes: object actions on <c>arn:aws:s3:::bucket/prefix*</c>) becomes the credentials' scope.
/// </summary>
internal static class StsEndpoint
{
    private const string Ns = "https://sts.amazonaws.com/doc/2011-06-15/";

    public static IEndpointRouteBuilder MapEmbeddedSts(this IEndpointRouteBuilder app)
    {
        app.MapPost("/", HandleAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription().WithGroupName(S3Endpoints.Surface)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(64 * 1024));
        return app;
    }

    private static async Task HandleAsync(HttpContext context, RequestAuthenticator authenticator, CredentialAuthority authority, IOptions<StorageOptions> options)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var (auth, error) = authenticator.AuthenticateSts(context.Request, Convert.ToHexStringLower(SHA256.HashData(body)));
        if (auth is null) { await ErrorAsync(context, error!.Status, error.Code, error.Message); return; }
        if (!auth.Principal.IsRoot) { await ErrorAsync(context, 403, "AccessDenied", "Only the root key may assume roles."); return; }

        var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(System.Text.Encoding.UTF8.GetString(body));
        if (form.GetValueOrDefault("Action").ToString() != "AssumeRole") { await ErrorAsync(context, 400, "InvalidAction", "Only AssumeRole is supported."); return; }
        var duration = int.TryParse(form.GetValueOrDefault("DurationSeconds"), NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : 3600;
        if (duration is < 900 or > 43200) { await ErrorAsync(context, 400, "ValidationError", "DurationSeconds must be between 900 and 43200."); return; }
        var scope = ScopeFromPolicy(form.GetValueOrDefault("Policy").ToString(), options.Value.Buckets);
        if (scope is null) { await ErrorAsync(context, 400, "MalformedPolicyDocument", "The session policy must allow s3 actions on arn:aws:s3:::<bucket>/<prefix>*."); return; }

        var credentials = authority.Issue(scope, TimeSpan.FromSeconds(duration));
        var role = SecurityElement.Escape(form.GetValueOrDefault("RoleArn").ToString());
        var session = SecurityElement.Escape(form.GetValueOrDefault("RoleSessionName").ToString());
        context.Response.ContentType = "text/xml";
        await context.Response.WriteAsync(
            $"<AssumeRoleResponse xmlns=\"{Ns}\"><AssumeRoleResult><Credentials><AccessKeyId>{credentials.AccessKeyId}</AccessKeyId>" +
            $"<SecretAccessKey>{credentials.SecretAccessKey}</SecretAccessKey><SessionToken>{credentials.SessionToken}</SessionToken>" +
            $"<Expiration>{S3Xml.Time(credentials.Expiration)}</Expiration></Credentials><AssumedRoleUser><Arn>{role}/{session}</Arn>" +
            $"<AssumedRoleId>{credentials.AccessKeyId}:{session}</AssumedRoleId></AssumedRoleUser></AssumeRoleResult>" +
            $"<ResponseMetadata><RequestId>{context.TraceIdentifier}</RequestId></ResponseMetadata></AssumeRoleResponse>", context.RequestAborted);
    }

    /// <summary>The scope an inline policy grants: one bucket and prefix, and the S3 actions allowed on it.</summary>
    internal static CredentialScope? ScopeFromPolicy(string policy, IReadOnlyList<string> buckets)
    {
        if (policy.Length == 0) return null;
        try
        {
            // A key given twice (two Resources, two Effects) is refused: which one counts would depend on the parser.
            using var doc = JsonDocument.Parse(policy, new JsonDocumentOptions { AllowDuplicateProperties = false });
            string? bucket = null, prefix = null;
            var actions = new HashSet<string>();
            foreach (var statement in doc.RootElement.GetProperty("Statement").EnumerateArray())
            {
                if (statement.GetProperty("Effect").GetString() != "Allow") continue;
                var named = statement.GetProperty("Action") is { ValueKind: JsonValueKind.Array } list
                    ? list.EnumerateArray().Select(a => a.GetString()!) : [statement.GetProperty("Action").GetString()!];
                var resource = statement.GetProperty("Resource").GetString() ?? "";
                const string arn = "arn:aws:s3:::";
                if (!resource.StartsWith(arn, StringComparison.Ordinal)) return null;
                var path = resource[arn.Length..];
                var slash = path.IndexOf('/');
                if (slash >= 0)
                {
                    if (!path.EndsWith('*')) return null;
                    (bucket, prefix) = (path[..slash], path[(slash + 1)..^1]);
                }
                actions.UnionWith(named.Where(a => a is CredentialScope.GetObject or CredentialScope.PutObject or CredentialScope.DeleteObject or CredentialScope.ListBucket));
            }
            return bucket is not null && prefix is not null && buckets.Contains(bucket) && actions.Count > 0
                ? new CredentialScope(bucket, prefix, [.. actions])
                : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static async Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml";
        await context.Response.WriteAsync(
            $"<ErrorResponse xmlns=\"{Ns}\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{SecurityElement.Escape(message)}</Message></Error>" +
            $"<RequestId>{context.TraceIdentifier}</RequestId></ErrorResponse>", context.RequestAborted);
    }
}
