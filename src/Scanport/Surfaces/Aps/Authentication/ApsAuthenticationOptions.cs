using System.ComponentModel.DataAnnotations;

namespace Scanport.Surfaces.Aps.Authentication;

/// <summary>The <c>Aps:Authentication</c> configuration section.</summary>
public sealed class ApsAuthenticationOptions
{
    public const string Section = "Aps:Authentication";

    /// <summary>
    /// The OAuth server's issuer (<c>iss</c> of its tokens, base of its discovery document) as clients reach it, e.g.
    /// <c>https://scanport.example/</c> behind a proxy. Unset, it is the address each request came to, which suits one
    /// node reached by one name.
    /// </summary>
    [Url] public string? Issuer { get; set; }
}
