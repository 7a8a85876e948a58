using Scanport.Reconstruction.Colmap;

namespace Scanport.Reconstruction;

/// <summary>Registers the reconstruction module: photogrammetry with COLMAP.</summary>
public static class ReconstructionModule
{
    /// <summary>
    /// Binds and validates (at start-up) <see cref="ReconstructionOptions"/> from <c>Reconstruction</c>; registers
    /// <see cref="ColmapPipeline"/> as a singleton (it needs the processes and media modules).
    /// </summary>
    public static IServiceCollection AddReconstruction(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReconstructionOptions>()
            .Bind(configuration.GetSection(ReconstructionOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ColmapPipeline>();
        return services;
    }
}
