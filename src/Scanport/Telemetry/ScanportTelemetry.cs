using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace Scanport.Telemetry;

/// <summary>
/// The names the modules' own spans and instruments are made under. Spans and instruments cost nothing while no one
/// listens: the exporters are configured in <see cref="TelemetryModule"/>, and only when asked for.
/// </summary>
public static class ScanportTelemetry
{
    /// <summary>The name of the ActivitySource and the Meter.</summary>
    public const string Name = "Scanport";

    /// <summary>The source of every span Scanport makes itself (job attempts, external programs).</summary>
    public static readonly ActivitySource Source = new(Name);

    /// <summary>The host's Meter (one per service container, so two hosts in a process keep their instruments apart).</summary>
    public static Meter ScanportMeter(this IMeterFactory meters) => meters.Create(Name);

    /// <summary>
    /// Registers <typeparamref name="T"/> as a singleton that is made as soon as a meter provider starts, so that the
    /// observable instruments it creates report from the first collection, not from the first time someone uses it.
    /// </summary>
    public static IServiceCollection AddInstruments<T>(this IServiceCollection services) where T : class
    {
        services.AddSingleton<T>();
        services.ConfigureOpenTelemetryMeterProvider((sp, _) => sp.GetRequiredService<T>());
        return services;
    }
}
