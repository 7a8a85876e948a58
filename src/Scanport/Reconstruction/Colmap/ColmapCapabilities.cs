using Scanport.Processes;

namespace Scanport.Reconstruction.Colmap;

/// <summary>
/// What the installed COLMAP can do here, found once by <see cref="ColmapPipeline.CapabilitiesAsync"/>: its version,
/// whether it was built with CUDA, whether a GPU is present, and whether dense stereo (<c>patch_match_stereo</c>, CUDA)
/// and <c>delaunay_mesher</c> (CGAL) run.
/// Debian's COLMAP 3.8 has neither CUDA nor CGAL: the pipeline then takes the sparse + normals + Poisson path.
/// </summary>
/// <param name="Installed">False when no <c>colmap</c> runs at all.</param>
/// <param name="Version">E.g. <c>3.8</c>; empty when unknown.</param>
/// <param name="Cuda">The build says "with CUDA".</param>
/// <param name="GpuPresent"><c>nvidia-smi -L</c> lists a GPU (asked only of a CUDA build).</param>
/// <param name="PatchMatchStereo"><c>patch_match_stereo -h</c> answers without "requires CUDA" (asked only of a CUDA build).</param>
/// <param name="DelaunayMesher"><c>delaunay_mesher -h</c> answers without "requires CGAL" (asked only of a CUDA build: it meshes a dense workspace).</param>
public sealed record ColmapCapabilities(
    bool Installed, string Version, bool Cuda, bool GpuPresent, bool PatchMatchStereo, bool DelaunayMesher)
{
    /// <summary>SIFT extraction and matching on the GPU (<c>--SiftExtraction.use_gpu 1</c>).</summary>
    public bool UseGpu => Cuda && GpuPresent;

    /// <summary>Dense reconstruction (undistort, patch-match stereo, fusion) instead of sparse points with estimated normals.</summary>
    public bool Dense => UseGpu && PatchMatchStereo;

    /// <summary>Asks COLMAP (and, for a CUDA build, nvidia-smi); <see cref="ColmapPipeline.CapabilitiesAsync"/> keeps the answer.</summary>
    internal static async Task<ColmapCapabilities> ProbeAsync(ProcessRunner runner, CancellationToken ct)
    {
        var help = await TryRunAsync(runner, ColmapCommands.Program, ["-h"], ct);
        if (help is null) return new(false, "", false, false, false, false);
        var banner = help.FirstOrDefault(l => l.StartsWith("COLMAP ", StringComparison.Ordinal)) ?? "";
        var version = banner.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) ?? "";
        var cuda = help.Any(l => l.Contains("with CUDA", StringComparison.Ordinal) && !l.Contains("without CUDA", StringComparison.Ordinal));

        // Without CUDA there is nothing more to learn: no GPU use, no dense stereo, and the Delaunay mesher would only
        // mesh a dense workspace. Each probe starts COLMAP (0.15–0.25 s), so a CPU build is asked once.
        if (!cuda) return new(true, version, false, false, false, false);

        var gpus = await TryRunAsync(runner, "nvidia-smi", ["-L"], ct);
        var gpu = gpus is not null && gpus.Any(l => l.StartsWith("GPU ", StringComparison.Ordinal));
        var stereo = await AnswersHelpAsync(runner, "patch_match_stereo", "requires CUDA", ct);
        var delaunay = await AnswersHelpAsync(runner, "delaunay_mesher", "requires CGAL", ct);
        return new(true, version, cuda, gpu, stereo, delaunay);
    }

    private static async Task<bool> AnswersHelpAsync(ProcessRunner runner, string command, string refusal, CancellationToken ct)
    {
        var lines = await TryRunAsync(runner, ColmapCommands.Program, [command, "-h"], ct, requireSuccess: true);
        return lines is not null && !lines.Any(l => l.Contains(refusal, StringComparison.Ordinal));
    }

    /// <summary>Every line the program printed, or null when it could not start (or failed, where success is required).</summary>
    private static async Task<List<string>?> TryRunAsync(ProcessRunner runner, string program, string[] args, CancellationToken ct, bool requireSuccess = false)
    {
        var lines = new List<string>();
        try
        {
            var result = await runner.RunAsync(program, args, line =>
            {
                lines.Add(line);
                return Task.CompletedTask;
            }, ct, environment: ColmapCommands.Environment);
            return requireSuccess && !result.Succeeded ? null : lines;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not installed
        }
    }
}
