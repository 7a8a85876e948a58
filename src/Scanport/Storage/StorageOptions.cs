using System.ComponentModel.DataAnnotations;

namespace Scanport.Storage;

/// <summary>The <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>embedded</c> (default) or <c>s3</c>.</summary>
    [Required, RegularExpression("^(embedded|s3)$")]
    public string Provider { get; set; } = "embedded";

    /// <summary>The region clients are told, and that signatures are scoped to.</summary>
    [Required] public string Region { get; set; } = "eu-central-1";

    /// <summary>
    /// Names no bucket may have: the embedded endpoint serves path-style buckets at the root of the origin, where the APS
    /// cloud's services answer too (APS's SDKs drop any base path, so those services cannot move under a prefix).
    /// </summary>
    public static readonly IReadOnlySet<string> ReservedBucketNames =
        new SortedSet<string>(["authentication", "modelderivative", "oss", "userinfo", "webhooks"], StringComparer.Ordinal);

    /// <summary>The buckets the embedded endpoint serves (the first is the platform's own).</summary>
    public List<string> Buckets { get; set; } = ["scanport", "sodex-integrations"];

    /// <summary>The embedded endpoint's address as clients reach it; defaults to the first listen address.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>Largest single PUT or part (S3's own limit is 5 GiB).</summary>
    public long MaxObjectSize { get; set; } = 5L * 1024 * 1024 * 1024;

    /// <summary>How far a signed request's time may be from ours.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(15);

    public S3ProviderOptions S3 { get; set; } = new();
}

/// <summary>The <c>Storage:S3</c> section, for the <c>s3</c> provider.</summary>
public sealed class S3ProviderOptions
{
    public string? ServiceUrl { get; set; }
    public bool ForcePathStyle { get; set; } = true;
    public string? AccessKeyId { get; set; }
    public string? SecretAccessKey { get; set; }
    /// <summary>The role AssumeRole takes for prefix-scoped temporary credentials.</summary>
    public string? RoleArn { get; set; }
    public string? StsServiceUrl { get; set; }
}
