using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Jobs;
using Scanport.Media;
using Scanport.Projects;
using Scanport.Reconstruction.Colmap;

namespace Scanport.Surfaces.Reconstruction3D;

/// <summary>What the two handlers share: the project the job belongs to, its end on failure, and downloads.</summary>
internal static class ReconJobWork
{
    /// <summary>The job's project, or a failure that retrying cannot fix when it was deleted.</summary>
    public static async Task<(Project Project, ReconProject Recon)> ProjectOfAsync(ScanportDb db, Guid jobId, CancellationToken ct)
    {
        var projectId = await db.Set<ReconJob>().Where(r => r.JobId == jobId).Select(r => (Guid?)r.ProjectId).FirstOrDefaultAsync(ct)
            ?? throw new JobFailedException("The project was deleted");
        var project = await db.Projects.FirstOrDefaultAsync(p => p.Id == projectId, ct) ?? throw new JobFailedException("The project was deleted");
        var recon = await db.Set<ReconProject>().FirstOrDefaultAsync(r => r.ProjectId == projectId, ct)
            ?? throw new JobFailedException("The project was deleted");
        return (project, recon);
    }

    /// <summary>
    /// The end of a job that failed for good. Its row is the failure this surface shows (status <c>failed</c> with
    /// <c>error_message</c>, and the project's status follows its latest job), so what is left is its log, and
    /// <c>total_frames</c>: a last attempt that failed while storing new frames has replaced some of the earlier ones.
    /// </summary>
    public static async Task EndFailedAsync(ScanportDb db, ProjectFiles files, JobContext context, string error, TimeProvider clock, CancellationToken ct)
    {
        await context.LogAsync($"failed: {error}");
        var projectId = await db.Set<ReconJob>().Where(r => r.JobId == context.JobId).Select(r => (Guid?)r.ProjectId).FirstOrDefaultAsync(ct);
        var recon = projectId is null ? null : await db.Set<ReconProject>().FirstOrDefaultAsync(r => r.ProjectId == projectId, ct);
        if (recon is null) return; // the project was deleted
        var stored = await FilesEndpoints.CountAsync(files, files.FramesPrefix(recon.ProjectId), ct);
        if (stored == recon.TotalFrames) return;
        recon.TotalFrames = stored;
        recon.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }

    public static async Task DownloadAsync(ProjectFiles files, string key, string path, CancellationToken ct)
    {
        await using var content = await files.GetAsync(key, null, ct) ?? throw new JobFailedException($"The stored file {key} is missing");
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await content.Body.CopyToAsync(file, 1 << 16, ct);
    }
}

/// <summary>
/// <c>frame_extraction</c>: the project's video fetched to a work folder, ffmpeg run at the requested interval (held to
/// the video's own demuxer and to local files), the frames stored in place of the project's earlier ones.
/// </summary>
internal sealed class FrameExtractionJob(
    ScanportDb db, ProjectFiles files, IServiceScopeFactory scopes, IOptions<Reconstruction3DOptions> options, TimeProvider clock,
    FrameExtractor extractor) : IJobHandler
{
    /// <summary>Frames stored at once.</summary>
    private const int StoreConcurrency = 4;

    public string Type => ReconJobTypes.FrameExtractionHandler;
    public string Queue => "frames";

    public Task OnFinalFailureAsync(JobContext context, string error, CancellationToken ct) =>
        ReconJobWork.EndFailedAsync(db, files, context, error, clock, ct);

    public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken ct)
    {
        var parameters = context.Payload<FrameExtractionParameters>();
        var (project, recon) = await ReconJobWork.ProjectOfAsync(db, context.JobId, ct);
        if (recon.VideoKey is null || recon.VideoInfoJson is null) return JobOutcome.Failed("The project has no video");
        var video = JsonSerializer.Deserialize<VideoInfo>(recon.VideoInfoJson)!;

        var work = context.WorkFolder;
        await context.ReportProgressAsync(0, "downloading_video");
        var videoPath = Path.Combine(work, "video." + video.Container);
        await ReconJobWork.DownloadAsync(files, recon.VideoKey, videoPath, ct);
        await context.LogAsync($"extracting a frame every {parameters.Interval} s, at most {parameters.MaxFrames}, from a {video.DurationSeconds:0.##} s {video.Width}x{video.Height} {video.Codec} {video.Container}");

        var framesDir = Path.Combine(work, "frames");
        var result = await extractor.ExtractAsync(videoPath, video, framesDir,
            new FrameExtractionOptions(parameters.Interval, parameters.MaxFrames, options.Value.FrameMaxLongEdge),
            fraction => context.ReportProgressAsync(5 + (int)(fraction * 80), "extracting_frames"), ct);
        if (!result.Succeeded) return JobOutcome.Failed($"Frame extraction failed: {result.Error}");
        await context.LogAsync($"ffmpeg wrote {result.TotalFrames} frames");

        await context.ReportProgressAsync(85, "storing_frames");
        var prefix = files.FramesPrefix(project.Id);
        await files.DeleteAllAsync(prefix, ct);
        // A few at a time: each store waits on its own fsyncs (or, with S3, on the network), and those overlap.
        // Each task has its own scope: a store and its database context serve one caller at a time.
        var stored = 0;
        await Parallel.ForEachAsync(result.Frames, new ParallelOptions { MaxDegreeOfParallelism = StoreConcurrency, CancellationToken = ct },
            async (path, token) =>
            {
                using var storeScope = scopes.CreateScope();
                await using (var frame = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous))
                    await storeScope.ServiceProvider.GetRequiredService<ProjectFiles>().PutAsync(prefix + Path.GetFileName(path), frame, "image/jpeg", token);
                await context.ReportProgressAsync(85 + 14 * Interlocked.Increment(ref stored) / result.Frames.Count, "storing_frames");
            });

        if (!await db.Projects.AnyAsync(p => p.Id == project.Id, CancellationToken.None))
        {
            await files.DeleteAllAsync(files.Root(project.Id), CancellationToken.None);
            return JobOutcome.Failed("The project was deleted");
        }
        recon.TotalFrames = result.TotalFrames;
        recon.FramesSource = "video";
        recon.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
        return JobOutcome.Succeeded(JsonSerializer.Serialize(new { total_frames = result.TotalFrames, interval = parameters.Interval, video_duration = video.DurationSeconds }));
    }
}

/// <summary>
/// <c>reconstruction</c>: the project's frames fetched to a work folder and reconstructed with COLMAP
/// (<see cref="ColmapPipeline"/>; sequential matching for video frames, exhaustive for photos); the point cloud, mesh
/// and coloured mesh stored, with the registered frames, the quality score and the time taken.
/// </summary>
internal sealed class ReconstructionJob(ScanportDb db, ProjectFiles files, TimeProvider clock, ColmapPipeline pipeline) : IJobHandler
{
    /// <summary>COLMAP needs two overlapping views to start a model; three to say anything of its quality.</summary>
    public const int MinimumFrames = 3;

    public string Type => ReconJobTypes.ReconstructionHandler;
    public string Queue => "reconstruction";

    public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken ct)
    {
        var elapsed = Stopwatch.StartNew();
        var parameters = context.Payload<ReconstructionParameters>();
        var (project, recon) = await ReconJobWork.ProjectOfAsync(db, context.JobId, ct);

        var work = context.WorkFolder;
        await context.ReportProgressAsync(0, "downloading_frames");
        var images = Path.Combine(work, "images");
        Directory.CreateDirectory(images);
        var frames = new List<string>();
        await foreach (var o in files.ListAsync(files.FramesPrefix(project.Id), ct)) frames.Add(o.Key);
        if (frames.Count < MinimumFrames) return JobOutcome.Failed($"The project has {frames.Count} frames; a reconstruction needs at least {MinimumFrames}");
        for (var i = 0; i < frames.Count; i++)
            await ReconJobWork.DownloadAsync(files, frames[i], Path.Combine(images, frames[i][(frames[i].LastIndexOf('/') + 1)..]), ct);

        var capabilities = await pipeline.CapabilitiesAsync(ct);
        var sequential = recon.FramesSource == "video";
        await context.LogAsync($"COLMAP {capabilities.Version}: {frames.Count} frames, quality {parameters.Quality}, "
            + $"{(sequential ? "sequential" : "exhaustive")} matching, {(capabilities.Dense ? "dense stereo on the GPU" : "sparse points with estimated normals (no CUDA)")}");
        var output = Path.Combine(work, "output");
        // Jobs throttle the progress and batch COLMAP's thousands of lines.
        var result = await pipeline.RunAsync(
            new ColmapRequest(images, output, parameters.Quality, sequential),
            p => context.ReportProgressAsync(3 + (int)(p.Overall * 92), StageName(p.Stage)),
            context.LogAsync, ct);

        if (!result.Succeeded && result.PointCloudPly.Length == 0)
        {
            // Nothing made: the project keeps the files of its last good reconstruction.
            return JobOutcome.Failed($"Reconstruction failed: {result.FailureReason}");
        }
        await context.ReportProgressAsync(95, "storing_results");
        var stored = new Dictionary<string, string?>();
        foreach (var (file, path, contentType) in new[]
        {
            (ColmapPipeline.PointCloudFile, result.PointCloudPly, "application/octet-stream"),
            (ColmapPipeline.MeshFile, result.MeshPly, "application/octet-stream"),
            (ColmapPipeline.TexturedMeshFile, result.TexturedMeshGlb, "model/gltf-binary"),
        })
        {
            var key = files.Output(project.Id, file);
            if (path.Length > 0 && File.Exists(path))
            {
                await using var body = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
                await files.PutAsync(key, body, contentType, ct);
                stored[file] = key;
            }
            else
            {
                await files.DeleteAsync(key, ct);
                stored[file] = null;
            }
        }

        if (!await db.Projects.AnyAsync(p => p.Id == project.Id, CancellationToken.None))
        {
            await files.DeleteAllAsync(files.Root(project.Id), CancellationToken.None);
            return JobOutcome.Failed("The project was deleted");
        }
        recon.PointCloudKey = stored[ColmapPipeline.PointCloudFile];
        recon.MeshKey = stored[ColmapPipeline.MeshFile];
        recon.TexturedMeshKey = stored[ColmapPipeline.TexturedMeshFile];
        recon.ProcessedFrames = result.RegisteredImages;
        recon.ReconstructionQuality = Math.Round(result.Quality, 4);
        recon.ProcessingTime = Math.Round(elapsed.Elapsed.TotalSeconds, 2);
        recon.Quality = parameters.Quality;
        recon.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
        await context.LogAsync($"registered {result.RegisteredImages} of {result.TotalImages} frames, {result.Points} points, "
            + $"mean reprojection error {result.MeanReprojectionError:0.###} px, quality {result.Quality:0.###}, {elapsed.Elapsed.TotalSeconds:0.0} s");
        if (!result.Succeeded) return JobOutcome.Failed($"Reconstruction failed: {result.FailureReason}");
        return JobOutcome.Succeeded(JsonSerializer.Serialize(new
        {
            total_frames = result.TotalImages,
            registered_frames = result.RegisteredImages,
            points = result.Points,
            mean_reprojection_error = double.IsFinite(result.MeanReprojectionError) ? Math.Round(result.MeanReprojectionError, 4) : (double?)null,
            reconstruction_quality = recon.ReconstructionQuality,
            processing_time = recon.ProcessingTime,
            quality = parameters.Quality,
            dense = capabilities.Dense,
        }));
    }

    public Task OnFinalFailureAsync(JobContext context, string error, CancellationToken ct) =>
        ReconJobWork.EndFailedAsync(db, files, context, error, clock, ct);

    private static string StageName(ReconstructionStage stage) => stage switch
    {
        ReconstructionStage.Extract => "feature_extraction",
        ReconstructionStage.Match => "feature_matching",
        ReconstructionStage.Map => "sparse_reconstruction",
        ReconstructionStage.Export => "export",
        ReconstructionStage.Dense => "dense_reconstruction",
        ReconstructionStage.Normals => "normal_estimation",
        ReconstructionStage.Mesh => "meshing",
        _ => "texturing",
    };
}
