using System.ComponentModel.DataAnnotations;
using Scanport.Identity;

namespace Scanport.Tests.Identity;

/// <summary>The sign-in guard's settings are checked at start-up; its defaults are Keycloak's and Auth0's kind of lock.</summary>
public sealed class AuthOptionsTests
{
    private static List<string> Invalid(AuthOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.SelectMany(r => r.MemberNames).ToList();
    }

    [Fact]
    public void The_defaults_lock_an_account_after_five_failures_and_an_address_after_twenty_for_up_to_fifteen_minutes()
    {
        var options = new AuthOptions();

        Assert.Empty(Invalid(options));
        Assert.Equal((5, 20), (options.SignInFailuresPerAccount, options.SignInFailuresPerAddress));
        Assert.Equal((TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15)),
            (options.SignInFailureWindow, options.SignInLockout, options.SignInMaxLockout));
    }

    [Fact]
    public void A_guard_that_would_never_lock_is_refused()
    {
        Assert.Equal([nameof(AuthOptions.SignInFailuresPerAccount)], Invalid(new AuthOptions { SignInFailuresPerAccount = 0 }));
        Assert.Equal([nameof(AuthOptions.SignInLockout)], Invalid(new AuthOptions { SignInLockout = TimeSpan.Zero }));
        Assert.Equal([nameof(AuthOptions.SignInFailureWindow)], Invalid(new AuthOptions { SignInFailureWindow = TimeSpan.Zero }));
    }
}
