using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Scanport.Data;
using Scanport.Events;

namespace Scanport.Identity;

/// <summary>
/// A token must not outlive what it says of its principal. On every request the token's subject is looked up (in
/// memory, from the database at most every <see cref="MaxAge"/>): a user must still exist with the token's role and
/// security stamp (moved on by a password, role, site or email change), an API key must still exist unrevoked and
/// unexpired with the token's role, a device must still exist unrevoked at the token's site. Changes made through
/// this node are seen at once (<see cref="Forget"/>), and on the other nodes as soon as the event bus brings them the news
/// (<see cref="PrincipalChanges"/>; with PostgreSQL, within the time of a NOTIFY); an event lost on the way (a node cut off
/// from the database) still expires within <see cref="MaxAge"/>.
/// </summary>
public sealed class PrincipalStates(TimeProvider clock, IEventBus events)
{
    /// <summary>The bus topic on which changed principals are announced to every node.</summary>
    public const string Topic = "principals";

    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);
    private readonly MemoryCache _known = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    /// <summary>What the database says of a principal now: its role, stamp and site, or that it is gone.</summary>
    private sealed record State(string Role, int Stamp, Guid? SiteId, DateTimeOffset? EndsAt);

    private static readonly State Gone = new("", -1, null, DateTimeOffset.MinValue);

    /// <summary>Whether the caller's token still tells the truth; <paramref name="services"/> gives the database on a miss.</summary>
    public async Task<bool> IsCurrentAsync(Caller caller, int stamp, IServiceProvider services, CancellationToken ct)
    {
        if (!_known.TryGetValue(caller.Id, out State? state))
        {
            state = await LoadAsync(caller, services.GetRequiredService<ScanportDb>(), ct) ?? Gone;
            _known.Set(caller.Id, state, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = MaxAge });
        }
        if (ReferenceEquals(state, Gone) || state!.Role != caller.Role) return false;
        if (state.EndsAt is { } end && end <= clock.GetUtcNow()) return false;
        return caller.Kind switch
        {
            CallerKind.User => state.Stamp == stamp,
            // A device's token names the one site it was enrolled at, or none.
            CallerKind.Device => caller.SiteIds.Count == 0 ? state.SiteId is null : caller.SiteIds.Count == 1 && caller.SiteIds[0] == state.SiteId,
            _ => true,
        };
    }

    /// <summary>The principal changed (or is gone), as committed: its next request, on any node, reads the database again.</summary>
    public void Forget(Guid principalId)
    {
        _known.Remove(principalId);
        events.Publish(new DomainEvent(Topic, "principal.changed", $"\"{principalId}\""));
    }

    /// <summary>Another node (or this one) announced a change: forget what this node knew.</summary>
    internal void ForgetHere(Guid principalId) => _known.Remove(principalId);

    private static Task<State?> LoadAsync(Caller caller, ScanportDb db, CancellationToken ct) => caller.Kind switch
    {
        CallerKind.User => db.Users.Where(u => u.Id == caller.Id && u.OrgId == caller.OrgId)
            .Select(u => new State(u.Role, u.SecurityStamp, null, null)).FirstOrDefaultAsync(ct),
        CallerKind.ApiKey => db.ApiKeys.Where(k => k.Id == caller.Id && k.OrgId == caller.OrgId && k.RevokedAt == null)
            .Select(k => new State(k.Role, 0, null, k.ExpiresAt)).FirstOrDefaultAsync(ct),
        CallerKind.Device => db.Devices.Where(d => d.Id == caller.Id && d.OrgId == caller.OrgId && d.RevokedAt == null)
            .Select(d => new State(Roles.Device, 0, d.SiteId, null)).FirstOrDefaultAsync(ct),
        _ => Task.FromResult<State?>(null),
    };
}
