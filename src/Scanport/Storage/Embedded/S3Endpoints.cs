using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Options;
using Scanport.Http;

namespace Scanport.Storage.Embedded;

/// <summary>
/// The embedded S3-compatible endpoint: path-style requests to the configured buckets at the server's root
/// (<c>http://host:port/{bucket}/{key}</c>), so aws-cli, boto3 and the AWS SDKs work with only an endpoint URL.
/// Every request is authenticated with Signature Version 4 and authorized against its credentials' scope
/// before its body is read.
/// </summary>
internal static class S3Endpoints
{
    /// <summary>S3's limit on a key, in bytes of UTF-8.</summary>
    public const int MaxKeyBytes = 1024;

    /// <summary>The group name of the endpoint's routes (and the STS endpoint's): what the request metrics call it.</summary>
    public const string Surface = "s3";

    public static IEndpointRouteBuilder MapEmbeddedS3(this IEndpointRouteBuilder app)
    {
        var shapes = app.ServiceProvider.GetRequiredService<ErrorShapes>();
        foreach (var bucket in app.ServiceProvider.GetRequiredService<IOptions<StorageOptions>>().Value.Buckets)
        {
            shapes.Register("/" + bucket, S3ErrorShape.Instance);
            var group = app.MapGroup("/" + bucket).AllowAnonymous().DisableAntiforgery().WithMetadata(S3ErrorShape.Instance)
                .WithMetadata(new Microsoft.AspNetCore.Mvc.DisableRequestSizeLimitAttribute()).ExcludeFromDescription().WithGroupName(Surface);
            group.MapMethods("/", [HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete],
                (HttpContext context, S3Operations s3) => HandleAsync(context, s3, bucket, null));
            group.MapMethods("/{**key}", [HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete],
                (HttpContext context, S3Operations s3) => HandleAsync(context, s3, bucket, KeyOf(context, bucket)));
        }
        // Any other first path segment of an S3 request names a bucket that does not exist. Only signed requests
        // match (the constraint reads the request), so other surfaces' unknown paths keep their own 404s and 405s.
        app.Map(RoutePatternFactory.Parse("/{bucket}/{**key}", defaults: null, parameterPolicies: new { bucket = new SignedS3Request() }),
                context => S3ErrorShape.WriteAsync(context, S3Error.NoSuchBucket))
            .AllowAnonymous().DisableAntiforgery().WithMetadata(S3ErrorShape.Instance).ExcludeFromDescription().WithGroupName(Surface);
        return app;
    }

    private static async Task HandleAsync(HttpContext context, S3Operations s3, string bucket, string? key)
    {
        context.Response.Headers["x-amz-request-id"] = context.TraceIdentifier;
        var (auth, error) = s3.Authenticator.Authenticate(context.Request);
        if (auth is null)
        {
            await S3ErrorShape.WriteAsync(context, error!);
            return;
        }
        try
        {
            error = key is not null && Encoding.UTF8.GetByteCount(key) > MaxKeyBytes ? S3Error.KeyTooLong
                : string.IsNullOrEmpty(key)
                ? await s3.BucketAsync(context, auth, bucket)
                : await s3.ObjectAsync(context, auth, bucket, key);
        }
        catch (S3Exception e)
        {
            error = e.Error;
        }
        catch (BadHttpRequestException e)
        {
            error = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? S3Error.EntityTooLarge : S3Error.IncompleteBody;
        }
        if (error is not null && !context.Response.HasStarted) await S3ErrorShape.WriteAsync(context, error);
    }

    /// <summary>The object key from the raw path: S3 keys may hold characters routing would normalize.</summary>
    private static string KeyOf(HttpContext context, string bucket)
    {
        var raw = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
        var q = raw.IndexOf('?');
        var path = q < 0 ? raw : raw[..q];
        var prefix = "/" + bucket + "/";
        return path.StartsWith(prefix, StringComparison.Ordinal) ? SigV4.PercentDecode(path[prefix.Length..]) : "";
    }

    /// <summary>
    /// Matches a request signed with SigV4, by header or presigned query: what makes it an S3 request. It never
    /// matches a first segment some other route spells out: routing decides that when it builds its table, and
    /// a candidate for every method there would turn another surface's 405 into a 404.
    /// </summary>
    private sealed class SignedS3Request : IRouteConstraint, Microsoft.AspNetCore.Routing.Matching.IParameterLiteralNodeMatchingPolicy
    {
        public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
            httpContext?.Request is { } request
            && (request.Headers.Authorization.ToString().StartsWith(SigV4.Algorithm + " ", StringComparison.Ordinal)
                || request.Query["X-Amz-Algorithm"] == SigV4.Algorithm);

        public bool MatchesLiteral(string parameterName, string literal) => false;
    }

    internal static async Task WriteXmlAsync(HttpContext context, string xml, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        var bytes = Encoding.UTF8.GetBytes(xml);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }
}
