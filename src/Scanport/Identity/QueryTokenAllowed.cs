namespace Scanport.Identity;

/// <summary>
/// Endpoint metadata: this endpoint accepts its bearer token as the <c>access_token</c> (or <c>token</c>) query
/// parameter, for browsers' EventSource and WebSocket, which cannot send headers. The README names each one.
/// </summary>
public sealed class QueryTokenAllowed
{
    public static readonly QueryTokenAllowed Instance = new();
}
