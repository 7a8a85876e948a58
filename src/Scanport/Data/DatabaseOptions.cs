using System.ComponentModel.DataAnnotations;

namespace Scanport.Data;

/// <summary>The <c>Database</c> configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>sqlite</c> (embedded default) or <c>postgres</c>.</summary>
    [Required, RegularExpression("^(sqlite|postgres)$")]
    public string Provider { get; set; } = "sqlite";

    /// <summary>Connection string; for SQLite it defaults to <c>{DataDir}/scanport.db</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply migrations at start-up. A production cluster turns this off and runs <c>--migrate</c> once.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}

/// <summary>The <c>Scanport</c> configuration section: where this node keeps its files.</summary>
public sealed class ScanportOptions
{
    public const string Section = "Scanport";

    [Required]
    public string DataDir { get; set; } = "data";

    /// <summary>
    /// A temporary file or work folder (see <see cref="ScratchFolder"/>) not written for this long, and not held open,
    /// was left by a crash and is deleted. Longer than any upload or job may go without writing.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan ScratchMaxAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often the scratch folders are swept (also once at start-up).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan ScratchSweepInterval { get; set; } = TimeSpan.FromHours(1);
}
