using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenIddict.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace Scanport.Surfaces.Aps.Authentication;

// OpenIddict's own entity configurations, applied through classes of this assembly (ScanportDb finds them), so that Data
// names neither OpenIddict nor this surface; the tables get snake-case names like every other table.

internal sealed class OAuthApplicationTable : IEntityTypeConfiguration<OpenIddictEntityFrameworkCoreApplication>
{
    public void Configure(EntityTypeBuilder<OpenIddictEntityFrameworkCoreApplication> b)
    {
        new OpenIddictEntityFrameworkCoreApplicationConfiguration<OpenIddictEntityFrameworkCoreApplication,
            OpenIddictEntityFrameworkCoreAuthorization, OpenIddictEntityFrameworkCoreToken, string>().Configure(b);
        b.ToTable("oauth_applications");
    }
}

internal sealed class OAuthAuthorizationTable : IEntityTypeConfiguration<OpenIddictEntityFrameworkCoreAuthorization>
{
    public void Configure(EntityTypeBuilder<OpenIddictEntityFrameworkCoreAuthorization> b)
    {
        new OpenIddictEntityFrameworkCoreAuthorizationConfiguration<OpenIddictEntityFrameworkCoreAuthorization,
            OpenIddictEntityFrameworkCoreApplication, OpenIddictEntityFrameworkCoreToken, string>().Configure(b);
        b.ToTable("oauth_authorizations");
    }
}

internal sealed class OAuthScopeTable : IEntityTypeConfiguration<OpenIddictEntityFrameworkCoreScope>
{
    public void Configure(EntityTypeBuilder<OpenIddictEntityFrameworkCoreScope> b)
    {
        new OpenIddictEntityFrameworkCoreScopeConfiguration<OpenIddictEntityFrameworkCoreScope, string>().Configure(b);
        b.ToTable("oauth_scopes");
    }
}

internal sealed class OAuthTokenTable : IEntityTypeConfiguration<OpenIddictEntityFrameworkCoreToken>
{
    public void Configure(EntityTypeBuilder<OpenIddictEntityFrameworkCoreToken> b)
    {
        new OpenIddictEntityFrameworkCoreTokenConfiguration<OpenIddictEntityFrameworkCoreToken,
            OpenIddictEntityFrameworkCoreApplication, OpenIddictEntityFrameworkCoreAuthorization, string>().Configure(b);
        b.ToTable("oauth_tokens");
    }
}
