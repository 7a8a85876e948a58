using System.ComponentModel.DataAnnotations;
using Scanport.Surfaces.Reconstruction3D;

namespace Scanport.Tests.Surfaces.Reconstruction3D;

/// <summary>The surface's settings are checked at start-up; a value that would break it stops the process naming the key.</summary>
public sealed class OptionsTests
{
    private static List<string> Invalid(Reconstruction3DOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.SelectMany(r => r.MemberNames).ToList();
    }

    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(Invalid(new Reconstruction3DOptions()));

    [Fact]
    public void An_event_poll_interval_of_zero_is_refused() =>
        Assert.Equal([nameof(Reconstruction3DOptions.EventPollInterval)], Invalid(new Reconstruction3DOptions { EventPollInterval = TimeSpan.Zero }));

    [Theory]
    [InlineData("admin")]
    [InlineData("device")]
    [InlineData("")]
    public void A_registration_role_other_than_operator_or_reviewer_is_refused(string role) =>
        Assert.Equal([nameof(Reconstruction3DOptions.RegistrationRole)], Invalid(new Reconstruction3DOptions { RegistrationRole = role }));
}
