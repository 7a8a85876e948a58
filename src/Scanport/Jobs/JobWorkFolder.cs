namespace Scanport.Jobs;

/// <summary>
/// A job attempt's own folder under the data directory's <c>work/</c> (downloads, an external program's output): made
/// on first use, emptied of what an earlier attempt left, and deleted by the runner when the attempt ends, whatever
/// the outcome. What a crash leaves is swept by the scratch sweeper.
/// </summary>
public sealed class JobWorkFolder(string dataDir, Guid jobId)
{
    /// <summary>Where jobs' work folders are, under the data directory.</summary>
    public const string Folder = "work";

    private readonly string path = System.IO.Path.Combine(System.IO.Path.GetFullPath(dataDir), Folder, jobId.ToString("N"));
    private readonly Lock gate = new();
    private bool created;

    /// <summary>The folder, made (empty) on first use.</summary>
    public string Path
    {
        get
        {
            lock (gate)
            {
                if (created) return path;
                if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
                Directory.CreateDirectory(path);
                created = true;
                return path;
            }
        }
    }

    /// <summary>Deletes the folder and what is in it.</summary>
    public void Remove()
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file still held open (a process that has not died yet): the scratch sweeper takes it later.
        }
    }
}
