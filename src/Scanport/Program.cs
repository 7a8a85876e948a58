using Scanport.ApsCloud;
using Scanport.Data;
using Scanport.Events;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Identity.Oidc;
using Scanport.Jobs;
using Scanport.Media;
using Scanport.ModelDerivatives;
using Scanport.Processes;
using Scanport.Surfaces.Platform;
using Scanport.Projects;
using Scanport.Reconstruction;
using Scanport.Storage;
using Scanport.Surfaces.Aps.Authentication;
using Scanport.Surfaces.Aps.ModelDerivative;
using Scanport.Surfaces.Aps.Oss;
using Scanport.Surfaces.Aps.Viewer;
using Scanport.Surfaces.Aps.Webhooks;
using Scanport.Surfaces.ApsIntegration;
using Scanport.Surfaces.BodyScan;
using Scanport.Surfaces.Console;
using Scanport.Surfaces.Reconstruction3D;
using Scanport.Surfaces.ScanAce;
using Scanport.Surfaces.Vehicle360;
using Scanport.Telemetry;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddCommandLine(args, JobsModule.SwitchMappings);
if (builder.Configuration[$"{JobsOptions.Section}:Role"] == StorageNode.Role)
{
    await StorageNode.RunAsync(builder, args);
    return;
}

builder.Services
    .AddHttp()
    .AddTelemetry(builder.Configuration)
    .AddData(builder.Configuration)
    .AddIdentity(builder.Configuration)
    .AddOidc(builder.Configuration)
    .AddEvents(builder.Configuration)
    .AddProjects()
    .AddStorage(builder.Configuration)
    .AddJobs(builder.Configuration)
    .AddProcesses(builder.Configuration)
    .AddMedia(builder.Configuration)
    .AddReconstruction(builder.Configuration)
    .AddModelDerivatives(builder.Configuration)
    .AddApsCloud(builder.Configuration)
    .AddPlatformApi(builder.Configuration)
    .AddBodyScanApi(builder.Configuration)
    .AddScanAceApi(builder.Configuration)
    .AddVehicle360Api(builder.Configuration)
    .AddReconstruction3DApi(builder.Configuration)
    .AddApsAuthentication(builder.Configuration)
    .AddApsOss()
    .AddApsModelDerivative()
    .AddApsWebhooks()
    .AddApsViewer()
    .AddApsIntegrationApi(builder.Configuration)
    .AddConsole();

var app = builder.Build();

if (args.Contains("--migrate"))
{
    await DatabaseMigrations.MigrateAsync(app);
    return;
}

app.UseApsPaths();
app.UseHttp();
app.MapOperationalEndpoints();
app.MapTelemetry();
app.MapPlatformApi();
app.MapBodyScanApi();
app.MapScanAceApi();
app.MapVehicle360Api();
app.MapReconstruction3DApi();
app.MapApsAuthentication();
app.MapApsOss();
app.MapApsModelDerivative();
app.MapApsWebhooks();
app.MapApsViewer();
app.MapApsIntegrationApi();
app.MapConsole();
app.MapStorage();

await app.MigrateDatabaseAsync();
await app.LoadSigningKeysAsync();
await app.BootstrapAsync();
await app.RunAsync();

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
