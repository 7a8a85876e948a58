using System.ComponentModel.DataAnnotations;

namespace Scanport.Identity;

/// <summary>The <c>Auth</c> configuration section.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    [Required] public string Issuer { get; set; } = "scanport";
    [Required] public string Audience { get; set; } = "scanport";
    /// <summary>Lifetime of user tokens (the 360 imaging document says 8 hours).</summary>
    public TimeSpan UserTokenLifetime { get; set; } = TimeSpan.FromHours(8);
    /// <summary>Lifetime of tokens minted for API keys through <c>client_credentials</c>.</summary>
    public TimeSpan ApiKeyTokenLifetime { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Lifetime of device tokens (the 360 imaging document says 30 days).</summary>
    public TimeSpan DeviceTokenLifetime { get; set; } = TimeSpan.FromDays(30);
    /// <summary>Lifetime of enrollment codes made by admins.</summary>
    public TimeSpan EnrollmentCodeLifetime { get; set; } = TimeSpan.FromHours(24);
    /// <summary>Allowed clock difference when checking expiry.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Token endpoint attempts per client IP per minute.</summary>
    [Range(1, 100_000)] public int TokenRequestsPerMinute { get; set; } = 30;

    // Brute-force protection (PasswordGuard), as Keycloak's and Auth0's: only failures count.
    /// <summary>Failed sign-ins of one account (user or API key) within <see cref="SignInFailureWindow"/> that lock it.</summary>
    [Range(1, 1_000_000)] public int SignInFailuresPerAccount { get; set; } = 5;
    /// <summary>Failed sign-ins from one client address (an IPv6 /64), at any accounts, that lock every sign-in from it.</summary>
    [Range(1, 1_000_000)] public int SignInFailuresPerAddress { get; set; } = 20;
    /// <summary>How long failures are remembered towards a lock.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan SignInFailureWindow { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>The first lock; each further one without a success in between is twice as long.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan SignInLockout { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>The longest lock.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan SignInMaxLockout { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>The <c>Bootstrap</c> configuration section: the first organization and admin.</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Bootstrap";

    [Required] public string OrgName { get; set; } = "default";
    [Required, EmailAddress] public string AdminEmail { get; set; } = "admin@example.com";
    /// <summary>When empty, a password is generated and printed once.</summary>
    public string? AdminPassword { get; set; }
}
