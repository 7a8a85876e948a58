using System.ComponentModel.DataAnnotations;
using Scanport.Jobs;

namespace Scanport.Tests.Jobs;

/// <summary>The job engine's settings are checked at start-up; a value that would break it stops the process naming the key.</summary>
public sealed class JobsOptionsTests
{
    private static List<string> Invalid(JobsOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.SelectMany(r => r.MemberNames).ToList();
    }

    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(Invalid(new JobsOptions()));

    [Fact]
    public void An_event_retention_that_would_delete_a_running_jobs_own_events_is_refused()
    {
        Assert.Equal([nameof(JobsOptions.EventRetention)], Invalid(new JobsOptions { EventRetention = TimeSpan.Zero }));
        Assert.Equal([nameof(JobsOptions.EventRetention)], Invalid(new JobsOptions { EventRetention = TimeSpan.FromDays(-1) }));
    }
}
