using System.Collections.Concurrent;
using AnyAscii;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Scanport.ApsCloud;
using Scanport.Data;
using Scanport.Identity;
using Scanport.Projects;

namespace Scanport.Surfaces.ApsIntegration;

/// <summary>
/// What the surface's routes share: which buckets and URNs a caller may reach, a project's bucket (named on first sight,
/// made at APS before its first upload), streamed uploads, translations, and a file's status kept in step with its manifest.
/// </summary>
internal sealed class DesignFiles(ScanportDb db, TenantClouds clouds, TranslationHooks hooks, TimeProvider clock)
{
    private static readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<string> Types)> Supported = new();

    /// <summary>The organization's buckets the caller may reach: those of no project, and those of projects it sees.</summary>
    public IQueryable<ApsiBucket> VisibleBuckets(Caller caller)
    {
        var projects = db.Projects.VisibleTo(caller).Select(p => p.Id);
        return db.Set<ApsiBucket>().Where(b => b.OrgId == caller.OrgId && (b.ProjectId == null || projects.Contains(b.ProjectId.Value)));
    }

    /// <summary>A project's bucket row, named now if the project has none (a project made on another surface).</summary>
    public async Task<ApsiBucket> BucketOfAsync(Project project, CancellationToken ct)
    {
        if (await db.Set<ApsiBucket>().FirstOrDefaultAsync(b => b.ProjectId == project.Id, ct) is { } known) return known;
        var bucket = new ApsiBucket
        {
            BucketKey = NewBucketKey(project.Name),
            OrgId = project.OrgId,
            ProjectId = project.Id,
            Policy = "persistent",
            CreatedAt = clock.GetUtcNow(),
        };
        db.Add(bucket);
        try
        {
            await db.SaveChangesAsync(ct);
            return bucket;
        }
        catch (DbUpdateException)
        {
            // Named by a concurrent request.
            db.Entry(bucket).State = EntityState.Detached;
            return await db.Set<ApsiBucket>().FirstAsync(b => b.ProjectId == project.Id, ct);
        }
    }

    /// <summary>
    /// The bucket made at APS if it is not yet. A project bucket's name taken at APS by someone else (keys are global there)
    /// is replaced by another before anything is stored in it.
    /// </summary>
    public async Task<ApsCloudClient> EnsureCreatedAsync(ApsiBucket bucket, CancellationToken ct)
    {
        var client = await clouds.ForAsync(bucket.OrgId, ct);
        if (bucket.Created) return client;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await client.Oss.CreateBucketAsync(bucket.BucketKey, bucket.Policy, ct: ct);
                break;
            }
            catch (ApsCloudException e) when (e.Kind == ApsFailure.Conflict && bucket.ProjectId is { } projectId && attempt < 3)
            {
                if (await db.Set<ApsiFile>().AnyAsync(f => f.BucketKey == bucket.BucketKey, ct)) throw;
                var name = await db.Projects.Where(p => p.Id == projectId).Select(p => p.Name).FirstAsync(ct);
                var renamed = new ApsiBucket
                {
                    BucketKey = NewBucketKey(name),
                    OrgId = bucket.OrgId,
                    ProjectId = projectId,
                    Policy = bucket.Policy,
                    CreatedAt = bucket.CreatedAt,
                };
                db.Remove(bucket);
                await db.SaveChangesAsync(ct);
                db.Add(renamed);
                await db.SaveChangesAsync(ct);
                bucket = renamed;
            }
        }
        bucket.Created = true;
        bucket.Owner = client.Credentials.ClientId;
        await db.SaveChangesAsync(ct);
        return client;
    }

    /// <summary><c>slug-abc123</c>: the project's name folded to OSS's alphabet, and six random characters (bucket keys are global at APS).</summary>
    public static string NewBucketKey(string name)
    {
        var slug = Slug(name, 40);
        return $"{(slug.Length < 3 ? "project" : slug)}-{RandomSuffix(6)}";
    }

    /// <summary>
    /// Lower-case ASCII letters, digits and single dashes: text transliterated to ASCII first (Arquitectónico → arquitectonico,
    /// 北京 → beijing; AnyAscii's tables, since the invariant globalization mode has no Unicode decomposition), the rest dashes.
    /// </summary>
    public static string Slug(string text, int maxLength, string allowed = "")
    {
        var folded = text.Transliterate();
        var sb = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            var lower = char.ToLowerInvariant(c);
            if (lower is >= 'a' and <= 'z' or >= '0' and <= '9' || allowed.Contains(lower)) sb.Append(lower);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        var slug = sb.ToString().Trim('-', '.');
        return slug.Length > maxLength ? slug[..maxLength].Trim('-', '.') : slug;
    }

    private static string RandomSuffix(int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(length, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        });
    }

    /// <summary>The file extensions the organization's cloud translates to SVF2 (asked of it, kept an hour).</summary>
    public async Task<IReadOnlyList<string>> SupportedTypesAsync(Guid orgId, CancellationToken ct)
    {
        var client = await clouds.ForAsync(orgId, ct);
        var key = client.BaseUrl.ToString();
        var now = clock.GetUtcNow();
        if (Supported.TryGetValue(key, out var known) && known.At > now - TimeSpan.FromHours(1)) return known.Types;
        var types = await client.Derivatives.Svf2InputsAsync(ct);
        Supported[key] = (now, types);
        return types;
    }

    /// <summary>The extension of a file name without the dot, lower case; empty when it has none.</summary>
    public static string ExtensionOf(string fileName) => Path.GetExtension(fileName).TrimStart('.').ToLowerInvariant();

    /// <summary>A free object key in the bucket for a file name: the name made safe (<c>Planos Estructurales.dwg</c> → <c>planos-estructurales.dwg</c>), numbered when taken.</summary>
    public async Task<string> FreeObjectKeyAsync(string bucketKey, string fileName, CancellationToken ct)
    {
        var extension = ExtensionOf(fileName);
        var stem = Slug(Path.GetFileNameWithoutExtension(fileName), 100, "_");
        if (stem.Length == 0) stem = "file";
        for (var n = 1; ; n++)
        {
            var key = (n == 1 ? stem : $"{stem}-{n}") + (extension.Length > 0 ? "." + extension : "");
            if (!await db.Set<ApsiFile>().AnyAsync(f => f.BucketKey == bucketKey && f.ObjectKey == key, ct)) return key;
        }
    }

    /// <summary>Streams a file to OSS in 5 MiB signed parts.</summary>
    public static async Task<ApsObject> UploadAsync(ApsCloudClient client, string bucketKey, string objectKey, string path, string? contentType, CancellationToken ct)
    {
        await using var body = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return await client.Oss.UploadAsync(bucketKey, objectKey, body, contentType, body.Length, ct);
    }

    /// <summary>Starts a fresh SVF2 translation (2D and 3D views) of the URN, with the surface's hooks registered first.</summary>
    public async Task<ApsJob> TranslateAsync(Guid orgId, string urn, CancellationToken ct)
    {
        var client = await clouds.ForAsync(orgId, ct);
        await hooks.EnsureAsync(client, ct);
        return await client.Derivatives.TranslateAsync(urn, TranslationHooks.Workflow, force: true, ct: ct);
    }

    /// <summary>
    /// Marks the project files of the URN as translating since <paramref name="started"/>, when the translation was asked
    /// for: a callback that came in while it was being started (news from after that moment) is kept.
    /// </summary>
    public async Task MarkTranslatingAsync(string urn, DateTimeOffset started, CancellationToken ct)
    {
        foreach (var file in await db.Set<ApsiFile>().Where(f => f.Urn == urn && f.StatusAt <= started).ToListAsync(ct))
            (file.Status, file.StatusAt, file.Error, file.TranslatedAt) = (FileStatus.Translating, started, null, null);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A translating file's status read from its manifest (a webhook the cloud could not deliver is not waited for).</summary>
    public async Task RefreshAsync(IEnumerable<ApsiFile> files, Guid orgId, CancellationToken ct)
    {
        var translating = files.Where(f => f.Status == FileStatus.Translating).ToList();
        if (translating.Count == 0) return;
        var client = await clouds.ForAsync(orgId, ct);
        foreach (var file in translating)
        {
            ApsManifest manifest;
            try
            {
                manifest = await client.Derivatives.ManifestAsync(file.Urn, ct);
            }
            catch (ApsCloudException e) when (e.Kind == ApsFailure.NotFound)
            {
                continue; // not registered yet
            }
            Apply(file, manifest.Status, clock.GetUtcNow(), Reason(manifest));
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// A translation status (a manifest's or a callback's, at <paramref name="at"/>) applied to a file: news older than
    /// the file's last change (a replayed or late callback) changes nothing.
    /// </summary>
    public static bool Apply(ApsiFile file, string status, DateTimeOffset at, string? error = null)
    {
        if (at < file.StatusAt) return false;
        var next = FileStatusOf(status);
        if (next is null || (next == file.Status && file.Status != FileStatus.Translating)) return false;
        file.Status = next;
        file.StatusAt = at;
        if (next == FileStatus.Ready) file.TranslatedAt = at;
        if (next == FileStatus.Failed) file.Error = error is { Length: > 2000 } long_ ? long_[..2000] : error ?? "The translation failed";
        return true;
    }

    /// <summary>A model's default view: its first 3D view, else its first.</summary>
    public static ApsView? DefaultView(IReadOnlyList<ApsView> views) => views.FirstOrDefault(v => v.Role == "3d") ?? views.FirstOrDefault();

    /// <summary>A manifest's or callback's status as a file's: <c>pending</c> and <c>inprogress</c> are translating, <c>timeout</c> failed.</summary>
    public static string? FileStatusOf(string status) => status switch
    {
        "pending" or "inprogress" => FileStatus.Translating,
        "success" or "complete" => FileStatus.Ready,
        "failed" or "timeout" => FileStatus.Failed,
        _ => null,
    };

    /// <summary>The first error message a failed manifest gives.</summary>
    private static string? Reason(ApsManifest manifest)
    {
        if (manifest.Status is not ("failed" or "timeout")) return null;
        var pending = new Stack<System.Text.Json.JsonElement>();
        pending.Push(manifest.Json);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (node.ValueKind == System.Text.Json.JsonValueKind.Array) foreach (var item in node.EnumerateArray()) pending.Push(item);
            if (node.ValueKind != System.Text.Json.JsonValueKind.Object) continue;
            if (node.TryGetProperty("messages", out var messages) && messages.ValueKind == System.Text.Json.JsonValueKind.Array)
                foreach (var m in messages.EnumerateArray())
                    if (m.ValueKind == System.Text.Json.JsonValueKind.Object && m.TryGetProperty("message", out var text))
                        return text.ValueKind == System.Text.Json.JsonValueKind.Array ? string.Join(" ", text.EnumerateArray()) : text.ToString();
            foreach (var list in new[] { "derivatives", "children" })
                if (node.TryGetProperty(list, out var items)) pending.Push(items);
        }
        return $"The translation ended {manifest.Status}";
    }

    /// <summary>
    /// The design URN as the cloud knows it. The document's examples encode <c>urn:adsk:objects.os.object:</c> (its colon and
    /// dot swapped); such URNs are taken and read as the real <c>urn:adsk.objects:os.object:</c> form, which is what this
    /// surface gives out.
    /// </summary>
    public static (string Urn, string BucketKey, string ObjectKey)? ParseUrn(string? urn)
    {
        var objectId = ApsUrns.Decode(urn);
        const string misspelt = "urn:adsk:objects.os.object:";
        if (objectId is not null && objectId.StartsWith(misspelt, StringComparison.Ordinal)) objectId = ApsUrns.Prefix + objectId[misspelt.Length..];
        return ApsUrns.Parse(objectId) is { } keys ? (ApsUrns.Encode(objectId!), keys.BucketKey, keys.ObjectKey) : null;
    }

    /// <summary>The bucket of a URN when the caller may reach it; null otherwise (another organization's, or unknown: both 404).</summary>
    public async Task<ApsiBucket?> BucketOfUrnAsync(Caller caller, string bucketKey, CancellationToken ct) =>
        await VisibleBuckets(caller).FirstOrDefaultAsync(b => b.BucketKey == bucketKey, ct);
}
