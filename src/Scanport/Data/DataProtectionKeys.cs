using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Scanport.Data;

/// <summary>
/// ASP.NET Core's data-protection key ring (antiforgery and sign-in cookies, the APS integration's stored secrets) in
/// the database on PostgreSQL, so that every node of a cluster reads what another protected. The embedded mode keeps
/// it in the data directory's <c>keys/</c> as before.
/// </summary>
internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> b)
    {
        b.ToTable("data_protection_keys");
        b.Property(k => k.FriendlyName).HasMaxLength(200);
    }
}
