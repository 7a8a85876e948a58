using System.Text.Json;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Http;
using Scanport.Storage.Embedded;
using Scanport.Telemetry;

namespace Scanport.Storage;

/// <summary>
/// <c>--role storage</c>: a process that is only the embedded S3-compatible endpoint (S3 and STS AssumeRole, every
/// request SigV4-verified) over its own data directory and embedded database, for a cluster whose API and worker nodes
/// use the <c>s3</c> provider and have no S3 service of their own. No surface, job, identity or bootstrap runs here.
/// <c>--storage-credentials</c> prints the node's root key as the <c>s3</c> provider's settings and exits.
/// </summary>
internal static class StorageNode
{
    public const string Role = "storage";

    public static async Task RunAsync(WebApplicationBuilder builder, string[] args)
    {
        if (builder.Configuration[$"{StorageOptions.Section}:Provider"] is { } provider && provider != "embedded")
            throw new OptionsValidationException(StorageOptions.Section, typeof(StorageOptions),
                [$"--role storage serves the embedded store; Storage:Provider is '{provider}'."]);
        builder.Services
            .AddHttp()
            .AddTelemetry(builder.Configuration)
            .AddData(builder.Configuration)
            .AddStorage(builder.Configuration)
            .AddAuthentication();
        builder.Services.AddAuthorization();
        var app = builder.Build();

        if (args.Contains("--storage-credentials"))
        {
            var authority = app.Services.GetRequiredService<CredentialAuthority>();
            var options = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["Storage__S3__AccessKeyId"] = authority.RootAccessKeyId,
                ["Storage__S3__SecretAccessKey"] = authority.RootSecret,
                ["Storage__Region"] = options.Region,
            }));
            return;
        }

        app.UseHttp();
        app.MapHealth();
        app.MapTelemetry();
        app.MapStorage();
        await app.MigrateDatabaseAsync();
        await app.RunAsync();
    }
}
