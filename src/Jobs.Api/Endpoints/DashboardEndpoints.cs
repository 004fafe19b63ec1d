using Jobs.Api.Auth;
using Orleans.Dashboard;

namespace Jobs.Api.Endpoints;

public static class DashboardEndpoints
{
    /// <summary>The Orleans dashboard at <c>/dashboard/</c>, for operators only.</summary>
    public static IEndpointRouteBuilder MapJobsDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOrleansDashboard("/dashboard").RequireAuthorization(JobsPolicies.Operator);
        return endpoints;
    }
}
