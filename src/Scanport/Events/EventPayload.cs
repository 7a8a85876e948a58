using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Scanport.Events;

/// <summary>
/// An event too large for a NOTIFY payload (8,000 bytes), kept for a few minutes so that other nodes can read it by the
/// id the notification carries instead (<see cref="PostgresEventRelay"/>).
/// </summary>
public sealed class EventPayload
{
    public long Id { get; set; }
    public required string Body { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class EventPayloadConfiguration : IEntityTypeConfiguration<EventPayload>
{
    public void Configure(EntityTypeBuilder<EventPayload> b)
    {
        b.ToTable("event_payloads");
        b.Property(p => p.Id).ValueGeneratedOnAdd();
        b.HasIndex(p => p.CreatedAt);
    }
}
