using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Storage.Embedded;

namespace Scanport.Storage;

internal static class StorageModule
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.Buckets.Count > 0 && o.Buckets.All(IsBucketName), "Storage:Buckets must name valid S3 buckets (3-63 lowercase letters, digits, dots, hyphens).")
            .Validate(o => !o.Buckets.Any(StorageOptions.ReservedBucketNames.Contains),
                $"Storage:Buckets may not name {string.Join(", ", StorageOptions.ReservedBucketNames)}: the APS cloud answers at those root paths of the same origin.")
            .ValidateOnStart();
        services.AddSingleton(sp => new BlobFiles(sp.GetRequiredService<IOptions<ScanportOptions>>().Value.DataDir));
        services.AddScratchFolder(BlobFiles.IncomingFolder);
        // Form uploads stream to a temporary file; a crash leaves it behind.
        services.AddSingleton<FormUploads>().AddScratchFolder(FormUploads.Folder);
        services.AddSingleton<TenantBuckets>();
        services.AddSingleton<StorageMetrics>();
        services.AddSingleton(sp => new CredentialAuthority(
            MasterKey(sp.GetRequiredService<IOptions<ScanportOptions>>().Value.DataDir), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new RequestAuthenticator(sp.GetRequiredService<CredentialAuthority>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.MaxClockSkew));
        services.AddSingleton<EmbeddedEndpoint>();
        services.AddScoped<EmbeddedObjectStore>();
        services.AddScoped<S3Operations>();
        services.AddScoped<ObjectNotifications>();
        if (configuration[$"{StorageOptions.Section}:Provider"] == "s3")
        {
            services.AddSingleton<S3.S3ObjectStore>();
            services.AddSingleton<IObjectStore>(sp => sp.GetRequiredService<S3.S3ObjectStore>());
        }
        else
        {
            services.AddScoped<IObjectStore>(sp => sp.GetRequiredService<EmbeddedObjectStore>());
        }
        return services;
    }

    /// <summary>The embedded S3-compatible endpoint, served only when it is the store.</summary>
    public static IEndpointRouteBuilder MapStorage(this IEndpointRouteBuilder app) =>
        app.ServiceProvider.GetRequiredService<IOptions<StorageOptions>>().Value.Provider == "embedded" ? app.MapEmbeddedS3().MapEmbeddedSts() : app;

    private static bool IsBucketName(string name) =>
        name.Length is >= 3 and <= 63 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.');

    /// <summary>The node's storage master key, made on first start (mode 0600); every embedded credential derives from it.</summary>
    private static byte[] MasterKey(string dataDir)
    {
        var dir = Path.Combine(Path.GetFullPath(dataDir), "keys");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "storage-master.key");
        if (!File.Exists(path))
        {
            var fresh = Path.Combine(dir, $".storage-master.{Guid.NewGuid():N}");
            File.WriteAllBytes(fresh, RandomNumberGenerator.GetBytes(32));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(fresh, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            try { File.Move(fresh, path); }
            catch (IOException) { File.Delete(fresh); } // another process made it first
        }
        return File.ReadAllBytes(path);
    }
}
