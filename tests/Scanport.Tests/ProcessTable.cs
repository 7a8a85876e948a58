namespace Scanport.Tests;

/// <summary>The machine's running processes, read from /proc.</summary>
internal static class ProcessTable
{
    /// <summary>The command lines (arguments joined by spaces) of other processes that mention <paramref name="text"/>.</summary>
    public static List<string> CommandLinesContaining(string text)
    {
        var found = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(text, StringComparison.Ordinal)) found.Add(cmdline);
            }
            catch (IOException) { } // gone meanwhile
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }
}
