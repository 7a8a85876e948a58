using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;

namespace Scanport.Identity;

/// <summary>On first start with an empty database: the first organization and its admin.</summary>
internal sealed class Bootstrap(ScanportDb db, IOptions<BootstrapOptions> options, IPasswordHasher<User> hasher,
    TimeProvider clock, ILogger<Bootstrap> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        if (await db.Organizations.AnyAsync(ct)) return;
        var o = options.Value;
        var now = clock.GetUtcNow();
        var org = new Organization { Name = o.OrgName, IsSystem = true, CreatedAt = now };
        var generated = string.IsNullOrEmpty(o.AdminPassword);
        var password = generated ? RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20) : o.AdminPassword!;
        var admin = User.FirstAdmin(org, o.AdminEmail, now);
        admin.PasswordHash = hasher.HashPassword(admin, password);
        db.Organizations.Add(org);
        db.Users.Add(admin);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (await db.Organizations.AnyAsync(ct)) return; // another node bootstrapped first
            throw;
        }
        logger.LogInformation("Bootstrapped organization {OrgName} ({OrgId}) with admin {AdminEmail}", org.Name, org.Id, admin.Email);
        if (generated)
        {
            // Printed once, to the console only, never to the log sinks.
            Console.WriteLine($"""

                ==== Scanport first start ====
                Organization: {org.Name} ({org.Id})
                Admin:        {admin.Email}
                Password:     {password}
                (shown only this once; set Bootstrap__AdminPassword to choose it)
                ==============================

                """);
        }
    }
}
