namespace Scanport.Tests.Identity;

/// <summary>
/// The APS cloud. Its routes take APS access tokens only (the <c>Aps</c> scheme): the platform's tokens and API key
/// secrets that every principal of the table holds are refused there, whoever holds them. What APS tokens may do is
/// tested with real APS tokens in Surfaces/Aps. OpenIddict answers revoke, introspect, keys and discovery in its own
/// middleware (they are no routes here): the first two authenticate the client themselves, the last two are public.
/// </summary>
public static partial class AuthorizationTable
{
    private static IEnumerable<Row> Aps =>
    [
        R("GET", "/userinfo", _ => 401, Get(_ => "/userinfo")),
    ];
}
