using Scanport.Http;

namespace Scanport.Identity;

/// <summary>
/// Who may call a route at all, set where the route is mapped rather than in the first lines of its handler: the
/// handler runs only for callers the rule admits; others get <c>refusal</c> in the surface's own error shape.
/// </summary>
public static class CallerRules
{
    public static TBuilder RequireCaller<TBuilder>(this TBuilder builder, Func<Caller, bool> admits, ApiError refusal)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            Caller.From(context.HttpContext.User) is { } caller && !admits(caller) ? new ErrorResult(refusal) : await next(context));

    /// <summary>Users only: devices and API keys are refused.</summary>
    public static bool IsUser(Caller caller) => caller.IsUser;

    /// <summary>People and programs, not capture devices.</summary>
    public static bool IsNotDevice(Caller caller) => caller.Kind != CallerKind.Device;
}
