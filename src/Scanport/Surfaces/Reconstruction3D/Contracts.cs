using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scanport.Surfaces.Reconstruction3D;

internal sealed record RegisterRequest(
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("password")] string? Password,
    [property: JsonPropertyName("full_name")] string? FullName);

internal sealed record UserModel(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("full_name")] string? FullName,
    [property: JsonPropertyName("is_active")] bool IsActive,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt);

internal sealed record ReconTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType);

internal sealed record ProjectRequest(
    [property: JsonPropertyName("name")] JsonElement? Name,
    [property: JsonPropertyName("description")] JsonElement? Description,
    [property: JsonPropertyName("status")] JsonElement? Status);

internal sealed record ProjectModel(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("total_frames")] int TotalFrames,
    [property: JsonPropertyName("processed_frames")] int ProcessedFrames,
    [property: JsonPropertyName("reconstruction_quality")] double ReconstructionQuality,
    [property: JsonPropertyName("processing_time")] double ProcessingTime,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt);

internal sealed record MessageModel([property: JsonPropertyName("message")] string Message);

internal sealed record JobStartedModel(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("job_id")] long JobId,
    [property: JsonPropertyName("project_id")] long ProjectId,
    [property: JsonPropertyName("status")] string Status);

internal sealed record ProjectStatusModel(
    [property: JsonPropertyName("project_id")] long ProjectId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("total_frames")] int TotalFrames,
    [property: JsonPropertyName("processed_frames")] int ProcessedFrames,
    [property: JsonPropertyName("reconstruction_quality")] double ReconstructionQuality,
    [property: JsonPropertyName("processing_time")] double ProcessingTime,
    [property: JsonPropertyName("current_job")] JobModel? CurrentJob,
    [property: JsonPropertyName("files")] ProjectFilesAvailable Files);

internal sealed record ProjectFilesAvailable(
    [property: JsonPropertyName("video")] bool Video,
    [property: JsonPropertyName("frames")] bool Frames,
    [property: JsonPropertyName("mesh")] bool Mesh,
    [property: JsonPropertyName("textured_mesh")] bool TexturedMesh,
    [property: JsonPropertyName("point_cloud")] bool PointCloud);

internal sealed record UploadModel(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("file_path")] string FilePath,
    [property: JsonPropertyName("file_size")] long FileSize,
    [property: JsonPropertyName("project_id")] long ProjectId);

internal sealed record FileEntry(
    [property: JsonPropertyName("file_type")] string FileType,
    [property: JsonPropertyName("file_name")] string FileName,
    [property: JsonPropertyName("file_path")] string FilePath,
    [property: JsonPropertyName("file_size")] long FileSize,
    [property: JsonPropertyName("content_type")] string? ContentType,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("download_url")] string? DownloadUrl);

internal sealed record FileListModel(
    [property: JsonPropertyName("project_id")] long ProjectId,
    [property: JsonPropertyName("files")] IReadOnlyList<FileEntry> Files,
    [property: JsonPropertyName("total_frames")] int TotalFrames);

internal sealed record JobModel(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("project_id")] long ProjectId,
    [property: JsonPropertyName("job_type")] string JobType,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("progress")] double Progress,
    [property: JsonPropertyName("current_stage")] string? CurrentStage,
    [property: JsonPropertyName("parameters")] JsonElement Parameters,
    [property: JsonPropertyName("result")] JsonElement? Result,
    [property: JsonPropertyName("error_message")] string? ErrorMessage,
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("started_at")] DateTimeOffset? StartedAt,
    [property: JsonPropertyName("completed_at")] DateTimeOffset? CompletedAt);

internal sealed record JobLogsModel(
    [property: JsonPropertyName("job_id")] long JobId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("logs")] IReadOnlyList<string> Logs);

internal sealed record ProjectJobsStatusModel(
    [property: JsonPropertyName("project_id")] long ProjectId,
    [property: JsonPropertyName("project_status")] string ProjectStatus,
    [property: JsonPropertyName("total_jobs")] int TotalJobs,
    [property: JsonPropertyName("active_jobs")] int ActiveJobs,
    [property: JsonPropertyName("jobs_by_status")] IReadOnlyDictionary<string, int> JobsByStatus,
    [property: JsonPropertyName("latest_job")] JobModel? LatestJob,
    [property: JsonPropertyName("jobs")] IReadOnlyList<JobModel> Jobs);
