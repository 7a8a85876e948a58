using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Data;
using Scanport.Jobs;

namespace Scanport.Tests.Identity;

/// <summary>
/// A hash of every row of every table of the EF model, per table, so that a refused call can be shown to have changed
/// nothing. Rows are hashed as text, sorted, so the order a database returns them in does not matter.
/// </summary>
internal static class DatabaseFingerprint
{
    /// <summary>
    /// Tables whose rows change without any request about them. <c>job_events</c>: a job runner appends a job's last event
    /// after its row says it ended, so <see cref="QuietAsync"/> can return before it lands. A refused call that started a
    /// job would still show, in <c>jobs</c>.
    /// </summary>
    private static readonly HashSet<string> Ignored = ["job_events"];

    public static async Task<Dictionary<string, string>> TakeAsync(ScanportApp app)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
        var tables = db.Model.GetEntityTypes()
            .Where(t => t.GetTableName() is not null && t.GetViewName() is null)
            .Select(t => (Schema: t.GetSchema(), Name: t.GetTableName()!))
            .Distinct()
            .Where(t => !Ignored.Contains(t.Name))
            .ToList();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            var hashes = new Dictionary<string, string>();
            foreach (var (schema, name) in tables)
            {
                var qualified = schema is null ? Quote(name) : $"{Quote(schema)}.{Quote(name)}";
                hashes[qualified] = await HashAsync(connection, $"SELECT * FROM {qualified}");
            }
            return hashes;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The tables whose rows differ between two fingerprints.</summary>
    public static string[] Changed(Dictionary<string, string> before, Dictionary<string, string> after) =>
        before.Keys.Union(after.Keys).Where(t => before.GetValueOrDefault(t) != after.GetValueOrDefault(t)).Order().ToArray();

    /// <summary>
    /// Waits until no job is queued or running: background work started by earlier calls (snapshot ingestion, a
    /// reconstruction) writes its rows on its own time, and a fingerprint taken meanwhile would blame the next call.
    /// </summary>
    public static async Task QuietAsync(ScanportApp app)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            using (var scope = app.Services.CreateScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<ScanportDb>();
                if (!await db.Set<Job>().AnyAsync(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running)) return;
            }
            Assert.True(DateTimeOffset.UtcNow < deadline, "background jobs still running after 60 s");
            await Task.Delay(50);
        }
    }

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static async Task<string> HashAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        var row = new StringBuilder();
        while (await reader.ReadAsync())
        {
            row.Clear();
            for (var i = 0; i < reader.FieldCount; i++) row.Append(Text(reader.GetValue(i))).Append('\u001f');
            rows.Add(row.ToString());
        }
        rows.Sort(StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001e', rows))));
    }

    private static string Text(object value) => value switch
    {
        DBNull => "\u2400",
        byte[] bytes => Convert.ToHexStringLower(bytes),
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
        System.Collections.IEnumerable items and not string => string.Join(',', items.Cast<object>().Select(Text)),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
