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
}
