using System.Globalization;
using System.Text.RegularExpressions;

namespace Scanport.Reconstruction.Colmap;

/// <summary>Reads progress and failures out of the lines COLMAP 3.8 prints.</summary>
internal static partial class ColmapOutput
{
    [GeneratedRegex(@"^Processed file \[(\d+)/(\d+)\]")]
    private static partial Regex ProcessedFile();

    [GeneratedRegex(@"^Matching image \[(\d+)/(\d+)\]")]
    private static partial Regex MatchingImage();

    [GeneratedRegex(@"^Matching block \[(\d+)/(\d+), (\d+)/(\d+)\]")]
    private static partial Regex MatchingBlockPair();

    [GeneratedRegex(@"^Matching block \[(\d+)/(\d+)\]")]
    private static partial Regex MatchingBlock();

    [GeneratedRegex(@"^Registering image #\d+ \((\d+)\)")]
    private static partial Regex RegisteringImage();

    [GeneratedRegex(@"^Initializing with image pair #\d+ and #\d+")]
    private static partial Regex InitialPair();

    [GeneratedRegex(@"Undistorting image \[(\d+)/(\d+)\]")]
    private static partial Regex UndistortingImage();

    [GeneratedRegex(@"Processing view (\d+) / (\d+)")]
    private static partial Regex ProcessingView();

    [GeneratedRegex(@"Fusing image \[(\d+)/(\d+)\]")]
    private static partial Regex FusingImage();

    /// <summary>
    /// How far the command that printed <paramref name="line"/> has come (0..1), or null when the line says nothing
    /// about it. <paramref name="totalImages"/> scales the mapper's count of registered images.
    /// </summary>
    public static double? Progress(string line, int totalImages)
    {
        line = line.TrimStart();
        if (Ratio(ProcessedFile().Match(line)) is { } extracted) return extracted;
        if (Ratio(MatchingImage().Match(line)) is { } matchedImage) return matchedImage;
        if (MatchingBlockPair().Match(line) is { Success: true } pair)
        {
            // Blocks go row by row: [row/rows, column/columns]. The line is only complete (" in 1.2s") once the block is done.
            int row = Int(pair, 1), rows = Int(pair, 2), column = Int(pair, 3), columns = Int(pair, 4);
            return rows * columns <= 0 ? null : Clamp(((row - 1) * columns + column) / (double)(rows * columns));
        }
        if (Ratio(MatchingBlock().Match(line)) is { } block) return block;
        if (InitialPair().IsMatch(line)) return totalImages <= 0 ? null : Clamp(2.0 / totalImages);
        if (RegisteringImage().Match(line) is { Success: true } registering)
            return totalImages <= 0 ? null : Clamp(Int(registering, 1) / (double)totalImages);
        if (Ratio(UndistortingImage().Match(line)) is { } undistorted) return undistorted;
        // A heading printed as the view starts.
        if (ProcessingView().Match(line) is { Success: true } view) return Ratio(view, done: Int(view, 1) - 1);
        if (Ratio(FusingImage().Match(line)) is { } fused) return fused;
        return null;
    }

    [GeneratedRegex(@"^\s*Features:\s+(\d+)")]
    private static partial Regex FeaturesLine();

    /// <summary>The feature extractor's count for one image ("  Features: 2681"), or -1 on other lines.</summary>
    public static int Features(string line) => FeaturesLine().Match(line) is { Success: true } m ? Int(m, 1) : -1;

    /// <summary>The mapper found no pair of images to start from (it still exits 0).</summary>
    public static bool NoInitialPair(string line) => line.Contains("No good initial image pair found", StringComparison.Ordinal);

    private static double? Ratio(Match match, int? done = null)
    {
        if (!match.Success) return null;
        var total = Int(match, 2);
        return total <= 0 ? null : Clamp((done ?? Int(match, 1)) / (double)total);
    }

    private static int Int(Match match, int group) => int.Parse(match.Groups[group].ValueSpan, CultureInfo.InvariantCulture);

    private static double Clamp(double value) => Math.Clamp(value, 0, 1);
}
