namespace Scanport.Projects;

internal static class ProjectsModule
{
    public static IServiceCollection AddProjects(this IServiceCollection services)
    {
        services.AddScoped<ProjectDeletion>();
        return services;
    }
}
