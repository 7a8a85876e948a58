using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Net.Http.Headers;

namespace Scanport.Http;

/// <summary>
/// The failures each route lists in its surface's OpenAPI document, with the surface's error body. Handlers answer
/// failures with <see cref="ErrorResult"/>, whose status is known only when it runs, so the statuses are declared:
/// those every route of a surface can give by its group, a route's own (404, 409, ...) where it is mapped.
/// </summary>
internal static class ErrorResponses
{
    /// <summary>The failures a route states besides those its surface's group states for every route.</summary>
    public static TBuilder ProducesErrors<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new DeclaredErrors(statuses));

    /// <summary>
    /// Lists, on every route of a surface's group, the failures that route can give: 401 and 403 unless it is
    /// anonymous, 429 where it is rate limited, the surface's validation status where it reads a body, 404 where its
    /// path has parameters, 500, and what the route declares. A status the route already describes (its own body) is
    /// left as it is.
    /// </summary>
    public static RouteGroupBuilder DescribesErrors(this RouteGroupBuilder group, IErrorShape shape)
    {
        // Finally: after the routes' own conventions, so their anonymity, limits and declarations are known.
        ((IEndpointConventionBuilder)group).Finally(endpoint =>
        {
            var metadata = endpoint.Metadata;
            var statuses = new List<int>();
            if (!metadata.OfType<IAllowAnonymous>().Any()) statuses.AddRange([StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden]);
            if (metadata.OfType<IAcceptsMetadata>().Any()) statuses.Add(shape.StatusOf(ApiError.Validation(new Dictionary<string, string[]>())));
            if (endpoint is RouteEndpointBuilder { RoutePattern.Parameters.Count: > 0 }) statuses.Add(StatusCodes.Status404NotFound);
            statuses.AddRange(metadata.OfType<DeclaredErrors>().SelectMany(d => d.Statuses));
            if (metadata.OfType<EnableRateLimitingAttribute>().Any()) statuses.Add(StatusCodes.Status429TooManyRequests);
            statuses.Add(StatusCodes.Status500InternalServerError);
            var described = metadata.OfType<IProducesResponseTypeMetadata>().Select(p => p.StatusCode).ToHashSet();
            var mediaType = MediaTypeHeaderValue.Parse(shape.ContentType).MediaType.ToString();
            foreach (var status in statuses.Distinct().Where(described.Add))
                if (shape.BodyTypeOf(status) is { } body) metadata.Add(new ErrorResponse(status, body, [mediaType]));
        });
        return group;
    }

    private sealed record DeclaredErrors(int[] Statuses);

    private sealed class ErrorResponse(int status, Type body, string[] contentTypes) : IProducesResponseTypeMetadata
    {
        public Type? Type => body;
        public int StatusCode => status;
        public string? Description => null;
        public IEnumerable<string> ContentTypes => contentTypes;
    }
}
