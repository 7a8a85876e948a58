namespace Scanport.Processes;

/// <summary>Registers the processes module: the one <see cref="ProcessRunner"/> every external program runs through.</summary>
public static class ProcessesModule
{
    /// <summary>Binds and validates (at start-up) <see cref="ProcessOptions"/> from <c>Processes</c>; <see cref="ProcessRunner"/> as a singleton.</summary>
    public static IServiceCollection AddProcesses(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProcessOptions>()
            .Bind(configuration.GetSection(ProcessOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ProcessRunner>();
        return services;
    }
}
