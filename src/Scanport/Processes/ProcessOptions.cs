using System.ComponentModel.DataAnnotations;

namespace Scanport.Processes;

/// <summary>The <c>Processes</c> configuration section: how many runs of each external program at once.</summary>
public sealed class ProcessOptions : IValidatableObject
{
    public const string Section = "Processes";

    /// <summary>
    /// Runs at once per program, by its file name (<c>Processes:Limits:ffmpeg = 4</c>); a configured entry overrides its default.
    /// COLMAP takes every core (and the GPU) by itself, so two runs would only fight over them.
    /// </summary>
    public Dictionary<string, int> Limits { get; set; } = new(StringComparer.OrdinalIgnoreCase) { ["colmap"] = 1 };

    /// <summary>Runs at once of a program <see cref="Limits"/> does not name.</summary>
    [Range(1, 1024)] public int DefaultLimit { get; set; } = Environment.ProcessorCount;

    // Looked up without regard to case whichever dictionary the configuration binder left here.
    internal int LimitOf(string program) =>
        Limits.Where(l => string.Equals(l.Key, program, StringComparison.OrdinalIgnoreCase)).Select(l => (int?)l.Value).FirstOrDefault() ?? DefaultLimit;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (program, limit) in Limits.Where(l => l.Value is < 1 or > 1024))
            yield return new ValidationResult($"Processes:Limits:{program} must be between 1 and 1024 (it is {limit}).", [nameof(Limits)]);
    }
}
