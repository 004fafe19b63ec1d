using Microsoft.AspNetCore.Routing.Patterns;

namespace Jobs.Api.Pages;

/// <summary>
/// Which optional API routes this server maps (event streams, bulk actions), read once from the routing table, so
/// the page uses what is there and falls back (polling, one job at a time) where it is not.
/// </summary>
public sealed class ApiFeatures(EndpointDataSource endpoints)
{
    private readonly Lazy<PageFeatures> _features = new(() => Detect(endpoints));

    public PageFeatures Describe() => _features.Value;

    private static PageFeatures Detect(EndpointDataSource endpoints)
    {
        var routes = endpoints.Endpoints.OfType<RouteEndpoint>()
            .Select(e => Normalize(e.RoutePattern))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new PageFeatures(
            Events: routes.Contains("/api/events"),
            JobEvents: routes.Contains("/api/jobs/{id}/events"),
            Bulk: routes.Contains("/api/bulk"));
    }

    /// <summary>The route as a plain template: parameters without constraints, no trailing slash.</summary>
    private static string Normalize(RoutePattern pattern)
    {
        var segments = pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        })));
        return "/" + string.Join('/', segments);
    }
}

/// <summary>What the page may use beyond the core API.</summary>
public sealed record PageFeatures(bool Events, bool JobEvents, bool Bulk);
