using System.Text;
using Microsoft.Extensions.Options;

namespace Scanport.Storage;

/// <summary>
/// A tenant's logical bucket: a name an organization chose at run time (an APS bucket key), kept as a prefix of one of
/// the configured buckets, which stay the store's only real buckets.
/// </summary>
/// <param name="OrganizationId">The tenant.</param>
/// <param name="Key">The logical bucket's key, valid (<see cref="TenantBuckets.IsValidKey"/>).</param>
/// <param name="Bucket">The configured bucket that holds it.</param>
/// <param name="Prefix">Every object of the logical bucket is under it; it ends with <c>/</c>.</param>
public sealed record TenantBucket(Guid OrganizationId, string Key, string Bucket, string Prefix)
{
    /// <summary>S3's limit on a key, in UTF-8 bytes.</summary>
    public const int MaxStoreKeyBytes = 1024;

    /// <summary>
    /// The store key of the object named <paramref name="objectKey"/> in this logical bucket; null when the name is
    /// empty or the key would pass S3's 1024 bytes. The name is kept as given (APS object keys may hold <c>/</c>):
    /// it cannot leave the prefix, since a key is a string and not a path.
    /// </summary>
    public string? ObjectKey(string objectKey)
    {
        if (objectKey.Length == 0) return null;
        var key = Prefix + objectKey;
        return Encoding.UTF8.GetByteCount(key) <= MaxStoreKeyBytes ? key : null;
    }

    /// <summary>The name in the logical bucket of a store key under <see cref="Prefix"/>.</summary>
    public string ObjectName(string storeKey) =>
        storeKey.StartsWith(Prefix, StringComparison.Ordinal) ? storeKey[Prefix.Length..] : throw new ArgumentException($"{storeKey} is not in {Key}", nameof(storeKey));
}

/// <summary>
/// Maps (organization, logical bucket key) to where its objects are stored: the platform's own bucket (the first of
/// <see cref="StorageOptions.Buckets"/>), under <c>buckets/{organization id}/{key}/</c>. The organization comes first
/// so that one tenant's logical buckets are one prefix (to list, to scope credentials to, to delete with the tenant);
/// the root is not <c>org/</c>, which the organization's admins may get credentials for, so that what a logical bucket
/// holds changes only through the API that owns it. Nothing is stored here: which logical buckets exist is the owner's
/// to record.
/// </summary>
public sealed class TenantBuckets(IOptions<StorageOptions> options)
{
    public const int MinKeyLength = 3;
    public const int MaxKeyLength = 128;

    /// <summary>3 to 128 characters of lowercase letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, as APS bucket keys are.</summary>
    public static bool IsValidKey(string? key) =>
        key is { Length: >= MinKeyLength and <= MaxKeyLength } && key.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.');

    /// <summary>Where <paramref name="key"/> of the organization lives; null when the key is not a valid one.</summary>
    public TenantBucket? Find(Guid organizationId, string key) =>
        IsValidKey(key) ? new TenantBucket(organizationId, key, options.Value.Buckets[0], OrganizationPrefix(organizationId) + key + "/") : null;

    /// <summary>The prefix every logical bucket of the organization is under.</summary>
    public static string OrganizationPrefix(Guid organizationId) => $"buckets/{organizationId:D}/";
}
