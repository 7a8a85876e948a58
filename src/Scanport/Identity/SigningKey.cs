using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Scanport.Identity;

/// <summary>
/// A token-signing key pair, kept in the database so that every node of a cluster, and the same node
/// after a restart, signs and validates with the same keys.
/// </summary>
public sealed class SigningKey
{
    public required string Id { get; set; }
    public required string Algorithm { get; set; }
    public required string PrivateKeyPem { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class SigningKeyConfiguration : IEntityTypeConfiguration<SigningKey>
{
    public void Configure(EntityTypeBuilder<SigningKey> b)
    {
        b.ToTable("signing_keys");
        b.Property(k => k.Id).HasMaxLength(64);
        b.Property(k => k.Algorithm).HasMaxLength(16);
    }
}
