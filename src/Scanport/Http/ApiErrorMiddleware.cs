using System.Text.Json;

namespace Scanport.Http;

/// <summary>
/// Turns everything the framework rejects (malformed JSON, wrong types, oversize bodies, failed auth, unknown
/// routes, rate limits) and every unexpected exception into the matched surface's error shape. Exceptions are
/// logged with the request id; the client sees only a generic message.
/// </summary>
internal sealed partial class ApiErrorMiddleware(RequestDelegate next, ErrorShapes shapes, ILogger<ApiErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            var bodyType = context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType;
            await ErrorShapes.WriteAsync(context, shapes.For(context), FromBadRequest(e, bodyType, context.Request));
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // the client went away
        }
        catch (Exception e) when (!context.Response.HasStarted && DependencyAway(e))
        {
            // A restart or failover of the database or the object store: the client may send the request again.
            logger.LogWarning("A service Scanport depends on could not be reached on {Method} {Path}: {Reason}", context.Request.Method, context.Request.Path, e.Message);
            context.Response.Clear();
            context.Response.Headers.RetryAfter = "5";
            await ErrorShapes.WriteAsync(context, shapes.For(context), ApiError.ForStatus(StatusCodes.Status503ServiceUnavailable));
            return;
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            logger.LogError(e, "Unhandled exception on {Method} {Path}", context.Request.Method, context.Request.Path);
            context.Response.Clear();
            await ErrorShapes.WriteAsync(context, shapes.For(context), ApiError.ForStatus(500));
            return;
        }

        var response = context.Response;
        if (response.StatusCode >= 400 && !response.HasStarted && response.ContentLength is null
            && string.IsNullOrEmpty(response.ContentType))
        {
            await ErrorShapes.WriteAsync(context, shapes.For(context), response.StatusCode == StatusCodes.Status401Unauthorized && TokenExpired(response)
                ? ApiError.ForStatus(StatusCodes.Status401Unauthorized) with { TokenExpired = true }
                : ApiError.ForStatus(response.StatusCode));
        }
    }

    /// <summary>
    /// A database error the driver calls transient (the connection refused, cut or timed out; the server shutting down or
    /// starting), or a connection to a service over HTTP (the object store) refused or cut, however deep it was wrapped.
    /// </summary>
    private static bool DependencyAway(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is System.Data.Common.DbException { IsTransient: true }
                || inner is HttpRequestException { InnerException: System.Net.Sockets.SocketException or IOException })
                return true;
        return false;
    }

    /// <summary>The JWT handler's challenge says why a token was refused: <c>error_description="The token expired at ..."</c>.</summary>
    private static bool TokenExpired(HttpResponse response) =>
        response.Headers.WWWAuthenticate.Any(v => v?.Contains("The token expired", StringComparison.Ordinal) == true);

    /// <summary>Explains a binding failure in terms of the request's own fields where the parser names one.</summary>
    internal static ApiError FromBadRequest(BadHttpRequestException e, Type? bodyType, HttpRequest? request = null)
    {
        if (e.StatusCode != StatusCodes.Status400BadRequest) return ApiError.ForStatus(e.StatusCode);
        if (BindFailure().Match(e.Message) is { Success: true } bind)
        {
            // A query or route value of the wrong type: named as the client wrote it (site_id, not siteId).
            var value = bind.Groups["value"].Value;
            var field = request?.Query.FirstOrDefault(q => q.Value == value).Key
                ?? request?.RouteValues.FirstOrDefault(r => r.Value as string == value).Key
                ?? bind.Groups["name"].Value;
            var type = bind.Groups["type"].Value.TrimEnd('?') switch
            {
                "Guid" => typeof(Guid),
                "int" or "Int32" or "long" or "Int64" => typeof(int),
                "double" or "Double" or "float" or "decimal" => typeof(double),
                "bool" or "Boolean" => typeof(bool),
                "DateTimeOffset" or "DateTime" => typeof(DateTimeOffset),
                _ => null,
            };
            return ApiError.Field(field, $"must be {Describe(type)}");
        }
        if (e.InnerException is JsonException json)
        {
            var field = FieldName(json.Path);
            if (IsNotUtf8(json)) return ApiError.Field(field ?? "body", StrictJsonElementConverter.NotUtf8, "Malformed JSON");
            if (DuplicateKey().Match(json.Message) is { Success: true } duplicate)
                return ApiError.Field(DuplicateField(field, duplicate.Groups["name"].Value), "is given more than once", "Malformed JSON");
            if (json.Message.Contains("could not be converted to ", StringComparison.Ordinal) && field is not null)
                return ApiError.Field(field, $"must be {Describe(bodyType is null ? null : JsonPaths.Resolve(bodyType, field))}");
            return ApiError.Field("body", "is not valid JSON" + (json.LineNumber is { } l ? $" (line {l + 1}, byte {json.BytePositionInLine + 1})" : ""),
                "Malformed JSON");
        }
        if (e.Message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("body was empty", StringComparison.OrdinalIgnoreCase))
            return ApiError.Field("body", "is required", "Request body is required");
        return new ApiError(400, "Bad request", Code: "bad_request");
    }

    [System.Text.RegularExpressions.GeneratedRegex("^Failed to bind parameter \"(?<type>[^ \"]+) (?<name>[^\"]+)\" from \"(?<value>.*)\"\\.$")]
    private static partial System.Text.RegularExpressions.Regex BindFailure();

    [System.Text.RegularExpressions.GeneratedRegex("^Duplicate property '(?<name>[^']*)' encountered")]
    private static partial System.Text.RegularExpressions.Regex DuplicateKey();

    /// <summary>
    /// The serializer points at the object holding the key twice for a key inside a raw-JSON field
    /// (<c>$.description</c> for <c>{"description": {"a": 1, "a": 2}}</c>), and at the key itself for a typed one.
    /// </summary>
    private static string DuplicateField(string? path, string key) =>
        path is null ? key
        : path.Equals(key, StringComparison.OrdinalIgnoreCase) || path.EndsWith("." + key, StringComparison.OrdinalIgnoreCase) ? path
        : $"{path}.{key}";

    /// <summary>Text that is not UTF-8 fails where it is decoded: inside the reader (typed fields) or our raw-JSON check.</summary>
    private static bool IsNotUtf8(JsonException json)
    {
        if (json.Message == StrictJsonElementConverter.NotUtf8) return true;
        for (Exception? inner = json.InnerException; inner is not null; inner = inner.InnerException)
            if (inner is System.Text.DecoderFallbackException
                || inner is InvalidOperationException && inner.Message.Contains("UTF-8", StringComparison.Ordinal))
                return true;
        return false;
    }

    private static string? FieldName(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return null;
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static string Describe(Type? type) => (Nullable.GetUnderlyingType(type ?? typeof(object)) ?? type) switch
    {
        var t when t == typeof(double) || t == typeof(float) || t == typeof(decimal) => "a number",
        var t when t == typeof(int) || t == typeof(long) || t == typeof(short) => "an integer",
        var t when t == typeof(bool) => "true or false",
        var t when t == typeof(string) => "a string",
        var t when t == typeof(Guid) => "a UUID",
        var t when t == typeof(DateTimeOffset) || t == typeof(DateTime) => "an ISO 8601 date-time",
        var t when t != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(t) => "an array",
        var t when t is { IsClass: true } && t != typeof(object) => "an object",
        _ => "a value of the right type",
    };
}
