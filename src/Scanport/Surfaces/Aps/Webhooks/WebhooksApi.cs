using Scanport.Http;
using Scanport.Jobs;
using Scanport.Surfaces.Aps.Authentication;
using Scanport.Surfaces.Aps.ModelDerivative;

namespace Scanport.Surfaces.Aps.Webhooks;

/// <summary>
/// APS's Webhooks v1 at <c>/webhooks/v1</c>, for the <c>derivative</c> system: hooks and secret tokens of the caller's
/// organization, and the callbacks of Model Derivative's events, delivered by durable jobs on the <c>webhooks</c> queue.
/// </summary>
internal static class WebhooksApi
{
    private const string Read = "data:read";
    private static readonly string[] Write = ["data:write", "data:create"];

    public static IServiceCollection AddApsWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhooksOptions>().BindConfiguration(WebhooksOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CallbackNetworks>();
        services.AddSingleton<WebhookCallbacks>();
        services.AddScoped<IDerivativeEventSink, WebhookEvents>();
        services.AddJobHandler<WebhookDelivery>();
        return services;
    }

    public static WebApplication MapApsWebhooks(this WebApplication app)
    {
        app.Services.GetRequiredService<ErrorShapes>().Register("/webhooks", WebhooksErrorShape.Instance);
        var api = app.MapGroup("/webhooks/v1").WithTags("APS Webhooks").DisableAntiforgery().WithMetadata(WebhooksErrorShape.Instance);

        const string eventHooks = "/systems/{system}/events/{event}/hooks";
        api.MapPost(eventHooks, HooksEndpoints.CreateForEvent).RequireApsScope(Write).WithName("ApsCreateEventHook")
            .WithSummary("Create a webhook for an event");
        api.MapGet(eventHooks, HooksEndpoints.ListForEvent).RequireApsScope(Read).WithName("ApsListEventHooks")
            .WithSummary("List the webhooks of an event");
        api.MapPost("/systems/{system}/hooks", HooksEndpoints.CreateForSystem).RequireApsScope(Write).WithName("ApsCreateSystemHooks")
            .WithSummary("Create webhooks for every event of a system");
        api.MapGet("/systems/{system}/hooks", HooksEndpoints.ListForSystem).RequireApsScope(Read).WithName("ApsListSystemHooks")
            .WithSummary("List the webhooks of a system");
        api.MapGet("/hooks", HooksEndpoints.ListAll).RequireApsScope(Read).WithName("ApsListHooks").WithSummary("List webhooks");
        api.MapGet("/app/hooks", HooksEndpoints.ListForApp).RequireApsScope(Read).WithName("ApsListAppHooks")
            .WithSummary("List the calling app's webhooks (two-legged)");
        api.MapGet(eventHooks + "/{hookId}", HooksEndpoints.Get).RequireApsScope(Read).WithName("ApsGetHook").WithSummary("A webhook's details");
        api.MapMethods(eventHooks + "/{hookId}", [HttpMethods.Patch], HooksEndpoints.Patch).RequireApsScope(Write).WithName("ApsPatchHook")
            .WithSummary("Update a webhook");
        api.MapDelete(eventHooks + "/{hookId}", HooksEndpoints.Delete).RequireApsScope(Write).WithName("ApsDeleteHook").WithSummary("Delete a webhook");

        api.MapPost("/tokens", TokensEndpoints.Create).RequireApsScope(Write).WithName("ApsCreateWebhookToken").WithSummary("Set the secret token");
        api.MapPut("/tokens/@me", TokensEndpoints.Replace).RequireApsScope(Write).WithName("ApsReplaceWebhookToken")
            .WithSummary("Replace the secret token");
        api.MapDelete("/tokens/@me", TokensEndpoints.Delete).RequireApsScope(Write).WithName("ApsDeleteWebhookToken")
            .WithSummary("Remove the secret token");
        return app;
    }
}
