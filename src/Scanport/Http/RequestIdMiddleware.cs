using System.Buffers;

namespace Scanport.Http;

/// <summary>
/// Gives every request an id (a UUID, as the 360 document's error schema types it), taken from the client's <c>X-Request-Id</c> when it is a sane token, and sends it
/// back on every response; error bodies and logs carry the same id.
/// </summary>
internal sealed class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public const string Header = "X-Request-Id";
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:");

    public Task InvokeAsync(HttpContext context)
    {
        string? incoming = context.Request.Headers[Header];
        var id = incoming is { Length: > 0 and <= 128 } && !incoming.AsSpan().ContainsAnyExcept(Allowed)
            ? incoming
            : Guid.CreateVersion7().ToString();
        context.TraceIdentifier = id;
        context.Response.Headers[Header] = id;
        using (logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = id }))
        {
            return next(context);
        }
    }
}
