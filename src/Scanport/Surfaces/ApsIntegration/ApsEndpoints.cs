using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.ApsCloud;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Projects;
using Scanport.Storage;

namespace Scanport.Surfaces.ApsIntegration;

/// <summary>The document's <c>/aps</c> routes: the organization's buckets, raw uploads to them, translations, their status and metadata.</summary>
internal static partial class ApsEndpoints
{
    public static void MapApsiAps(this RouteGroupBuilder api, ApsIntegrationOptions options)
    {
        var aps = api.MapGroup("/aps");
        aps.MapGet("/buckets", ListBuckets).RequireCaller(Permissions.ReadsApsData, ReadRefused)
            .WithName("ApsiListBuckets").WithSummary("The organization's buckets");
        aps.MapPost("/buckets", CreateBucket).RequireCaller(Permissions.WritesApsData, WriteRefused).ProducesErrors(409, 422, 502)
            .WithName("ApsiCreateBucket").WithSummary("Create a bucket");
        aps.MapPost("/buckets/{bucket_key}/files", Upload).RequireCaller(Permissions.WritesApsData, WriteRefused)
            .WithBodyLimit(options.MaxUploadBytes + FormUploads.EnvelopeAllowance).ProducesErrors(404, 413, 422, 502)
            .WithName("ApsiUploadToBucket").WithSummary("Upload a file to a bucket (multipart: file, file_name), streamed to OSS in 5 MiB parts");
        aps.MapPost("/translate", Translate).RequireCaller(Permissions.WritesApsData, WriteRefused).ProducesErrors(404, 415, 422, 502)
            .WithName("ApsiTranslate").WithSummary("Translate a design to SVF2 with 2D and 3D views");
        aps.MapGet("/translate/{urn}/status", Status).RequireCaller(Permissions.ReadsApsData, ReadRefused).ProducesErrors(404, 502)
            .WithName("ApsiTranslationStatus").WithSummary("Where a translation stands (its manifest)");
        aps.MapGet("/models/{urn}/metadata", Metadata).RequireCaller(Permissions.ReadsApsData, ReadRefused).ProducesErrors(404, 422, 502)
            .WithName("ApsiModelMetadata").WithSummary("A translated model's default view and its objects");
    }

    public static readonly ApiError ReadRefused = ApsiErrors.Forbidden("Devices have no access to APS data");
    public static readonly ApiError WriteRefused = ApsiErrors.Forbidden("Only admins and operators change APS data");

    public static async Task<Ok<List<BucketModel>>> ListBuckets(Caller caller, DesignFiles files, CancellationToken ct)
    {
        var buckets = await files.VisibleBuckets(caller).Where(b => b.Created).OrderBy(b => b.CreatedAt).ThenBy(b => b.BucketKey).ToListAsync(ct);
        return TypedResults.Ok(buckets.Select(BucketModel.Of).ToList());
    }

    public static async Task<Results<Created<BucketModel>, ErrorResult>> CreateBucket(BucketRequest request, Caller caller, ScanportDb db,
        TenantClouds clouds, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var key = request.BucketKey?.Trim();
        if (string.IsNullOrEmpty(key)) errors["bucket_key"] = ["field required"];
        else if (!BucketKeyPattern().IsMatch(key)) errors["bucket_key"] = ["must be 3 to 128 characters of a-z, 0-9, '-', '_' and '.'"];
        var policy = request.Policy?.Trim() ?? "transient";
        if (policy is not ("transient" or "temporary" or "persistent")) errors["policy"] = ["must be transient, temporary or persistent"];
        if (errors.Count > 0) return new ErrorResult(ApiError.Validation(errors));
        if (await db.Set<ApsiBucket>().AnyAsync(b => b.BucketKey == key, ct)) return new ErrorResult(ApsiErrors.BucketExists(key!));

        var client = await clouds.ForAsync(caller.OrgId, ct);
        try
        {
            await client.Oss.CreateBucketAsync(key!, policy, ct: ct);
        }
        catch (ApsCloudException e) when (e.Kind == ApsFailure.Conflict)
        {
            return new ErrorResult(ApsiErrors.BucketExists(key!));
        }
        var bucket = new ApsiBucket
        {
            BucketKey = key!,
            OrgId = caller.OrgId,
            Policy = policy,
            Created = true,
            Owner = client.Credentials.ClientId,
            CreatedBy = caller.Id,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Add(bucket);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"aps/buckets/{key}", BucketModel.Of(bucket));
    }

    public static async Task<Results<Created<ObjectModel>, ErrorResult>> Upload(string bucket_key, HttpContext context, Caller caller, ScanportDb db,
        DesignFiles files, FormUploads uploads, IOptions<ApsIntegrationOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var bucket = await files.BucketOfUrnAsync(caller, bucket_key, ct);
        if (bucket is null || !bucket.Created) return new ErrorResult(ApsiErrors.NotFound($"Bucket not found: {bucket_key}"));
        var project = bucket.ProjectId is { } projectId ? await db.Projects.FirstAsync(p => p.Id == projectId, ct) : null;
        if (project is not null && !caller.Allows(ProjectAction.Contribute, project)) return new ErrorResult(ProjectsEndpoints.ContributeRefused);

        var limit = options.Value.MaxUploadBytes;
        await using var upload = await uploads.ReadAsync(context.Request, "file", ["file_name"], limit, maxFieldLength: 256, ct);
        if (upload.Status == FormUploadStatus.TooLarge) return new ErrorResult(ApsiErrors.TooLarge(limit));
        if (upload.Status == FormUploadStatus.Malformed) return new ErrorResult(ApsiErrors.Unreadable);
        if (upload.Status == FormUploadStatus.NotMultipart)
            return new ErrorResult(ApiError.Validation(new Dictionary<string, string[]> { ["file"] = ["field required"] }, "Send the file as multipart/form-data"));
        if (upload.FileName is null) return new ErrorResult(ApsiErrors.Invalid("file", "field required"));
        var objectKey = upload.Fields.TryGetValue("file_name", out var named) && named.Length > 0 ? named : Path.GetFileName(upload.FileName);
        if (objectKey.Length is 0 or > 255 || objectKey.Any(char.IsControl) || objectKey.Contains('/') || objectKey is "." or "..")
            return new ErrorResult(ApsiErrors.Invalid("file_name", "must be 1 to 255 characters, without '/' or control characters"));
        if (upload.Size == 0) return new ErrorResult(ApsiErrors.Invalid("file", "the file is empty"));

        var client = await files.EnsureCreatedAsync(bucket, ct);
        var stored = await DesignFiles.UploadAsync(client, bucket.BucketKey, objectKey, upload.Path, "application/octet-stream", ct);
        if (project is not null)
        {
            // An upload into a project's bucket is one of its files.
            var now = clock.GetUtcNow();
            var existing = await db.Set<ApsiFile>().FirstOrDefaultAsync(f => f.BucketKey == bucket.BucketKey && f.ObjectKey == objectKey, ct);
            var file = existing ?? new ApsiFile { ProjectId = project.Id, BucketKey = bucket.BucketKey, ObjectKey = objectKey, OriginalFilename = "", Urn = "" };
            (file.OriginalFilename, file.Urn, file.Size, file.Sha1, file.ContentType) = (upload.FileName, stored.Urn, upload.Size, stored.Sha1, stored.ContentType);
            (file.Status, file.StatusAt, file.UploadedAt, file.UploadedBy, file.TranslatedAt, file.Error) = (FileStatus.Uploaded, now, now, caller.Id, null, null);
            if (existing is null) db.Add(file);
            project.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.Created(stored.Location ?? "", ObjectModel.Of(stored, upload.Size));
    }

    public static async Task<Results<Accepted<TranslateModel>, ErrorResult>> Translate(TranslateRequest request, Caller caller, ScanportDb db,
        DesignFiles files, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Urn)) return new ErrorResult(ApsiErrors.Invalid("urn", "field required"));
        if (DesignFiles.ParseUrn(request.Urn) is not { } parsed) return new ErrorResult(ApsiErrors.Invalid("urn", "is not the base64 URN of an OSS object"));
        var bucket = await files.BucketOfUrnAsync(caller, parsed.BucketKey, ct);
        if (bucket is null) return new ErrorResult(ApsiErrors.NotFound("No object of yours has this URN"));
        if (bucket.ProjectId is { } projectId && !caller.Allows(ProjectAction.Contribute, await db.Projects.FirstAsync(p => p.Id == projectId, ct)))
            return new ErrorResult(ProjectsEndpoints.ContributeRefused);
        var extension = DesignFiles.ExtensionOf(parsed.ObjectKey);
        var supported = await files.SupportedTypesAsync(caller.OrgId, ct);
        if (!supported.Contains(extension)) return new ErrorResult(ApsiErrors.TypeNotSupported(extension, supported));
        var started = clock.GetUtcNow();
        await files.TranslateAsync(caller.OrgId, parsed.Urn, ct);
        await files.MarkTranslatingAsync(parsed.Urn, started, ct);
        return TypedResults.Accepted($"aps/translate/{parsed.Urn}/status", TranslateModel.Accepted(parsed.Urn));
    }

    public static async Task<Results<Ok<StatusModel>, ErrorResult>> Status(string urn, Caller caller, ScanportDb db, DesignFiles files, TenantClouds clouds,
        TimeProvider clock, CancellationToken ct) =>
        await ManifestOfAsync(urn, caller, db, files, clouds, clock, ct) is not { } read ? new ErrorResult(UrnNotFound)
            : TypedResults.Ok(StatusModel.Of(read.Urn, read.Manifest));

    public static async Task<Results<Ok<MetadataModel>, ErrorResult>> Metadata(string urn, Caller caller, ScanportDb db, DesignFiles files, TenantClouds clouds,
        TimeProvider clock, CancellationToken ct) =>
        await ManifestOfAsync(urn, caller, db, files, clouds, clock, ct) is not { } read ? new ErrorResult(UrnNotFound)
            : await MetadataAsync(read.Client, read.Urn, read.Manifest, ct);

    /// <summary>The manifest of a URN the caller reaches (null: it reaches none), its news recorded on the project files of the URN.</summary>
    private static async Task<(string Urn, ApsCloudClient Client, ApsManifest Manifest)?> ManifestOfAsync(string urn, Caller caller, ScanportDb db,
        DesignFiles files, TenantClouds clouds, TimeProvider clock, CancellationToken ct)
    {
        if (await VisibleUrnAsync(urn, caller, files, ct) is not { } parsed) return null;
        var client = await clouds.ForAsync(caller.OrgId, ct);
        var manifest = await client.Derivatives.ManifestAsync(parsed.Urn, ct);
        await RecordAsync(db, parsed.Urn, manifest, clock, ct);
        return (parsed.Urn, client, manifest);
    }

    /// <summary>The model's default view (3D first) and the objects at the top of its tree; the translation's status while it runs.</summary>
    public static async Task<Results<Ok<MetadataModel>, ErrorResult>> MetadataAsync(ApsCloudClient client, string urn, ApsManifest manifest, CancellationToken ct)
    {
        if (manifest.Status is "failed" or "timeout") return new ErrorResult(ApsiErrors.TranslationFailed($"The translation of this model ended {manifest.Status}"));
        if (manifest.Status != "success") return TypedResults.Ok(new MetadataModel("metadata", null, urn, null, manifest.Status, manifest.Progress ?? "", [], []));
        var views = await client.Derivatives.ViewsAsync(urn, ct);
        var main = DesignFiles.DefaultView(views);
        if (main is null) return TypedResults.Ok(new MetadataModel("metadata", null, urn, null, manifest.Status, manifest.Progress ?? "complete", [], []));
        var tree = await client.Derivatives.ObjectTreeAsync(urn, main.Guid, ct);
        var children = new List<MetadataChild>();
        if (tree is { } json && json.TryGetProperty("data", out var data) && data.TryGetProperty("objects", out var objects) && objects.ValueKind == JsonValueKind.Array)
        {
            // A single root (the model itself) is looked through to its children.
            var top = objects.GetArrayLength() == 1 && objects[0].TryGetProperty("objects", out var inner) && inner.ValueKind == JsonValueKind.Array ? inner : objects;
            foreach (var node in top.EnumerateArray().Take(1000))
                children.Add(new MetadataChild(
                    node.TryGetProperty("externalId", out var external) && external.ValueKind == JsonValueKind.String ? external.GetString()!
                        : node.TryGetProperty("objectid", out var id) ? id.ToString() : "",
                    "object",
                    node.TryGetProperty("name", out var name) ? name.ToString() : "",
                    main.Role ?? "3d"));
        }
        return TypedResults.Ok(new MetadataModel("metadata", main.Name ?? "Default", main.Guid, main.Role, manifest.Status, manifest.Progress ?? "complete", children,
            [.. views.Select(v => new MetadataView(v.Guid, v.Name, v.Role))]));
    }

    /// <summary>The manifest's news about the project files of the URN.</summary>
    private static async Task RecordAsync(ScanportDb db, string urn, ApsManifest manifest, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var changed = false;
        foreach (var file in await db.Set<ApsiFile>().Where(f => f.Urn == urn && f.Status == FileStatus.Translating).ToListAsync(ct))
            changed |= DesignFiles.Apply(file, manifest.Status, now);
        if (changed) await db.SaveChangesAsync(ct);
    }

    /// <summary>The URN's real form and keys when it names an object in a bucket the caller reaches.</summary>
    public static async Task<(string Urn, string BucketKey, string ObjectKey)?> VisibleUrnAsync(string urn, Caller caller, DesignFiles files, CancellationToken ct) =>
        DesignFiles.ParseUrn(urn) is { } parsed && await files.BucketOfUrnAsync(caller, parsed.BucketKey, ct) is not null ? parsed : null;

    public static readonly ApiError UrnNotFound = ApsiErrors.NotFound("No model of yours has this URN");

    [GeneratedRegex("^[-_.a-z0-9]{3,128}$")]
    private static partial Regex BucketKeyPattern();
}
