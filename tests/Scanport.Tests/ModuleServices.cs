using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Media;
using Scanport.Processes;
using Scanport.Reconstruction;

namespace Scanport.Tests;

/// <summary>
/// The processes, media and reconstruction modules registered as the host registers them, without the host, for the
/// tests that run ffmpeg, ffprobe and COLMAP directly. One runner for them all, so its limits hold across the tests.
/// </summary>
internal static class ModuleServices
{
    private static readonly ServiceProvider Services = Build();

    public static T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    private static ServiceProvider Build()
    {
        var configuration = new ConfigurationBuilder().Build();
        return new ServiceCollection().AddLogging()
            .AddProcesses(configuration).AddMedia(configuration).AddReconstruction(configuration)
            .BuildServiceProvider();
    }
}
