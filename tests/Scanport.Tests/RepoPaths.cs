namespace Scanport.Tests;

/// <summary>Where the repository and the shared folder beside it (specs, test data) are.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Scanport.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Scanport.slnx not found above the test binaries.");
    }
}
