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
    public const string Document = "aps-webhooks";
    private const string Read = "data:read";
    private static readonly string[] Write = ["data:write", "data:create"];

    public static IServiceCollection AddApsWebhooks(this IServiceCollection services)
    {
        services.AddApiDocument(Document);
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
        var api = app.MapGroup("/webhooks/v1").WithGroupName(Document).WithTags("APS Webhooks").DisableAntiforgery()
            .WithMetadata(WebhooksErrorShape.Instance).WithBodyLimit(64 * 1024).DescribesErrors(WebhooksErrorShape.Instance);

        const string eventHooks = "/systems/{system}/events/{event}/hooks";
        api.MapPost(eventHooks, HooksEndpoints.CreateForEvent).RequireApsScope(Write).WithName("ApsCreateEventHook")
            .WithSummary("Create a webhook for an event").Produces(201).ProducesErrors(409);
        api.MapGet(eventHooks, HooksEndpoints.ListForEvent).RequireApsScope(Read).WithName("ApsListEventHooks")
            .WithSummary("List the webhooks of an event").Produces<HooksPage>().Produces(204);
        api.MapPost("/systems/{system}/hooks", HooksEndpoints.CreateForSystem).RequireApsScope(Write).WithName("ApsCreateSystemHooks")
            .WithSummary("Create webhooks for every event of a system").Produces<CreatedHooks>(201).ProducesErrors(409);
        api.MapGet("/systems/{system}/hooks", HooksEndpoints.ListForSystem).RequireApsScope(Read).WithName("ApsListSystemHooks")
            .WithSummary("List the webhooks of a system").Produces<HooksPage>().Produces(204);
        api.MapGet("/hooks", HooksEndpoints.ListAll).RequireApsScope(Read).WithName("ApsListHooks").WithSummary("List webhooks")
            .Produces<HooksPage>().Produces(204);
        api.MapGet("/app/hooks", HooksEndpoints.ListForApp).RequireApsScope(Read).WithName("ApsListAppHooks")
            .WithSummary("List the calling app's webhooks (two-legged)").Produces<HooksPage>().Produces(204);
        api.MapGet(eventHooks + "/{hookId}", HooksEndpoints.Get).RequireApsScope(Read).WithName("ApsGetHook").WithSummary("A webhook's details")
            .Produces<HookDetails>();
        api.MapMethods(eventHooks + "/{hookId}", [HttpMethods.Patch], HooksEndpoints.Patch).RequireApsScope(Write).WithName("ApsPatchHook")
            .WithSummary("Update a webhook").Produces<HookDetails>();
        api.MapDelete(eventHooks + "/{hookId}", HooksEndpoints.Delete).RequireApsScope(Write).WithName("ApsDeleteHook").WithSummary("Delete a webhook")
            .Produces(204);

        api.MapPost("/tokens", TokensEndpoints.Create).RequireApsScope(Write).WithName("ApsCreateWebhookToken").WithSummary("Set the secret token")
            .Produces<TokenOutcome>();
        api.MapPut("/tokens/@me", TokensEndpoints.Replace).RequireApsScope(Write).WithName("ApsReplaceWebhookToken")
            .WithSummary("Replace the secret token").Produces(204);
        api.MapDelete("/tokens/@me", TokensEndpoints.Delete).RequireApsScope(Write).WithName("ApsDeleteWebhookToken")
            .WithSummary("Remove the secret token").Produces(204);
        return app;
    }
}
