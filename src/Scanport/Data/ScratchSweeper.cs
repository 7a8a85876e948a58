using Microsoft.Extensions.Options;

namespace Scanport.Data;

/// <summary>
/// A folder under the data directory whose entries are temporary: the embedded store's incoming blobs, upload and
/// image temp files, job work folders. Registered by the module that writes there (<see cref="ScratchFolders.AddScratchFolder"/>).
/// </summary>
/// <param name="RelativePath">Under the data directory, e.g. <c>blobs/incoming</c>.</param>
/// <param name="HoldsFolders">Entries are folders (a job's work folder, aged by the newest write inside), else files; the other kind is left alone.</param>
internal sealed record ScratchFolder(string RelativePath, bool HoldsFolders = false);

internal static class ScratchFolders
{
    public static IServiceCollection AddScratchFolder(this IServiceCollection services, string relativePath, bool holdsFolders = false) =>
        services.AddSingleton(new ScratchFolder(relativePath, holdsFolders));
}

/// <summary>
/// Deletes what a crash left in the scratch folders, at start-up and every <see cref="ScanportOptions.ScratchSweepInterval"/>:
/// an entry is abandoned when nothing in it was written for <see cref="ScanportOptions.ScratchMaxAge"/> and no file of it
/// is held open by a Scanport process. Uploads and jobs remove their own files when they end; this is for the ones
/// that never ended, which a long-running node would otherwise keep until its next restart.
/// </summary>
internal sealed class ScratchSweeper(
    IEnumerable<ScratchFolder> folders, IOptions<ScanportOptions> options, TimeProvider clock, ILogger<ScratchSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ScratchSweepInterval, clock);
        do
        {
            try
            {
                Sweep();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(e, "Sweeping the scratch folders failed; trying again in {Interval}", options.Value.ScratchSweepInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    internal void Sweep()
    {
        var root = Path.GetFullPath(options.Value.DataDir);
        var cutoff = clock.GetUtcNow().UtcDateTime - options.Value.ScratchMaxAge;
        foreach (var folder in folders.DistinctBy(f => (f.RelativePath, f.HoldsFolders)))
        {
            var path = Path.Combine(root, folder.RelativePath);
            if (!Directory.Exists(path)) continue;
            var entries = folder.HoldsFolders ? Directory.EnumerateDirectories(path) : Directory.EnumerateFiles(path);
            foreach (var entry in entries.ToList())
            {
                if (folder.HoldsFolders ? TryDeleteFolder(entry, cutoff) : TryDeleteFile(entry, cutoff))
                    logger.LogInformation("Deleted {Path}, left by an upload or job that never finished", entry);
            }
        }
    }

    /// <summary>
    /// Opening with <see cref="FileShare.None"/> takes an exclusive lock that any open Scanport handle (every one takes
    /// a shared or exclusive lock, in any process) refuses: a file being uploaded is never deleted, however slow the
    /// client. The file is deleted while held, so nobody opens it in between.
    /// </summary>
    private static bool TryDeleteFile(string path, DateTime cutoff)
    {
        try
        {
            if (File.GetLastWriteTimeUtc(path) >= cutoff) return false;
            using var held = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, 1);
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // held open, or gone already
        }
    }

    /// <summary>A work folder is abandoned when nothing in it was written since the cutoff and none of its files is open.</summary>
    private static bool TryDeleteFolder(string path, DateTime cutoff)
    {
        try
        {
            var folder = new DirectoryInfo(path);
            var files = folder.EnumerateFiles("*", SearchOption.AllDirectories).ToList();
            if (folder.LastWriteTimeUtc >= cutoff || files.Any(f => f.LastWriteTimeUtc >= cutoff)) return false;
            if (folder.EnumerateDirectories("*", SearchOption.AllDirectories).Any(d => d.LastWriteTimeUtc >= cutoff)) return false;
            foreach (var file in files)
            {
                using var held = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.None, 1);
            }
            folder.Delete(recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
