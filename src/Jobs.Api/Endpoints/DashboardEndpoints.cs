using Jobs.Api.Auth;
using Orleans.Dashboard;

namespace Jobs.Api.Endpoints;

public static class DashboardEndpoints
{
    /// <summary>The Orleans dashboard at <c>/dashboard/</c>, for operators only.</summary>
    public static IEndpointRouteBuilder MapJobsDashboard(this IEndpointRouteBuilder endpoints)
    {
        // The dashboard's own routes (its data feeds and a streaming trace) are not part of the Jobs API's description.
        endpoints.MapOrleansDashboard("/dashboard").RequireAuthorization(JobsPolicies.Operator).ExcludeFromDescription();
        return endpoints;
    }
}
