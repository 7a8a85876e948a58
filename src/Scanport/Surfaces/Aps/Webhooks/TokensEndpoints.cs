using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Scanport.Data;
using Scanport.Http;
using Scanport.Identity;

namespace Scanport.Surfaces.Aps.Webhooks;

/// <summary>
/// Secret tokens, one per API key (two-legged) or user (three-legged): they sign the callbacks of that principal's hooks
/// that have no token of their own. Changes take effect at once (APS allows itself up to 10 minutes).
/// </summary>
internal static class TokensEndpoints
{
    public static async Task<IResult> Create(JsonElement body, Caller caller, HttpContext http, ScanportDb db, TimeProvider clock)
    {
        if (Refused(caller) is { } refused) return refused;
        if (TokenOf(body) is not { } token) return Bad(body);
        if (await db.ApsWebhookTokens.AnyAsync(t => t.OwnerId == caller.Id, http.RequestAborted))
            return new ErrorResult(WebhooksErrorShape.BadInput("Secret token already exists: replace it with PUT /webhooks/v1/tokens/@me"));
        db.ApsWebhookTokens.Add(new ApsWebhookToken { OwnerId = caller.Id, OrgId = caller.OrgId, Token = token, CreatedAt = clock.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateException)
        {
            return new ErrorResult(WebhooksErrorShape.BadInput("Secret token already exists: replace it with PUT /webhooks/v1/tokens/@me"));
        }
        var who = caller.Kind == CallerKind.ApiKey ? "client" : "user";
        return TypedResults.Ok(new TokenOutcome(200, [$"Token created successfully for {who}: {caller.Id}"]));
    }

    public static async Task<IResult> Replace(JsonElement body, Caller caller, HttpContext http, ScanportDb db)
    {
        if (Refused(caller) is { } refused) return refused;
        if (TokenOf(body) is not { } token) return Bad(body);
        var changed = await db.ApsWebhookTokens.Where(t => t.OwnerId == caller.Id && t.OrgId == caller.OrgId)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.Token, token), http.RequestAborted);
        return changed > 0 ? TypedResults.NoContent() : NoToken();
    }

    public static async Task<IResult> Delete(Caller caller, HttpContext http, ScanportDb db)
    {
        if (Refused(caller) is { } refused) return refused;
        var deleted = await db.ApsWebhookTokens.Where(t => t.OwnerId == caller.Id && t.OrgId == caller.OrgId).ExecuteDeleteAsync(http.RequestAborted);
        return deleted > 0 ? TypedResults.NoContent() : NoToken();
    }

    private static ErrorResult? Refused(Caller caller) =>
        Permissions.WritesApsData(caller) ? null : new ErrorResult(ApiError.Forbidden("Reviewers may read webhooks, not set their secret tokens."));

    private static string? TokenOf(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) return null;
        string? error = null;
        var token = HookRules.Token(new JsonFields(body).String("token", ref error), ref error);
        return error is null ? token : null;
    }

    private static ErrorResult Bad(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) return new(WebhooksErrorShape.BadInput("The request body must be a JSON object"));
        string? error = null;
        HookRules.Token(new JsonFields(body).String("token", ref error), ref error);
        return new(WebhooksErrorShape.BadInput(error ?? "token is invalid"));
    }

    private static ErrorResult NoToken() => new(ApiError.NotFound("No secret token is set: create one with POST /webhooks/v1/tokens"));
}
