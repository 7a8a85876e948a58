namespace Scanport.Tests.PointClouds;

/// <summary>The LAS/LAZ samples in the shared data folder, and streams over them.</summary>
internal static class SampleFiles
{
    public static string Folder => Path.Combine(RepoPaths.Shared, "data", "pointclouds");

    public static string PathOf(string name) => Path.Combine(Folder, name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));
}
