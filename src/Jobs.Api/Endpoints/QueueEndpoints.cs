using Jobs.Api.Auth;
using Jobs.Api.Http;
using System.Security.Claims;

namespace Jobs.Api.Endpoints;

public static class QueueEndpoints
{
    public static IEndpointRouteBuilder MapQueueEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var queues = endpoints.MapGroup("/api/queues").WithTags("Queues");
        queues.MapGet("/", ListAsync).RequireAuthorization(JobsPolicies.Caller).WithName("ListQueues")
            .WithSummary("Every job type's queue: paused or not, per-silo concurrency, and job counts per status.");
        queues.MapPost("/{type}/pause", (string type, IGrainFactory grains) => SetPausedAsync(type, true, grains))
            .RequireAuthorization(JobsPolicies.Operator).WithName("PauseQueue")
            .WithSummary("Stops starting jobs of this type on every silo; active ones finish, the rest wait.");
        queues.MapPost("/{type}/resume", (string type, IGrainFactory grains) => SetPausedAsync(type, false, grains))
            .RequireAuthorization(JobsPolicies.Operator).WithName("ResumeQueue")
            .WithSummary("Starts jobs of this type again.");
        return endpoints;
    }

    private static async Task<IResult> ListAsync(ClaimsPrincipal user, IGrainFactory grains)
    {
        var tenant = user.IsOperator() ? null : user.TenantOf();
        var queues = await Task.WhenAll(JobType.All.Select(type => DescribeAsync(type, tenant, grains)));
        return TypedResults.Ok(queues);
    }

    private static async Task<QueueResponse> DescribeAsync(string type, string? tenant, IGrainFactory grains)
    {
        var settings = grains.GetGrain<IQueueGrain>(type).GetSettingsAsync();
        var counts = grains.GetGrain<IJobRegistryGrain>(type).CountAsync(tenant);
        return new QueueResponse(type, (await settings).Paused, (await settings).Concurrency, StatusCountsResponse.From(await counts));
    }

    private static async Task<IResult> SetPausedAsync(string type, bool paused, IGrainFactory grains)
    {
        if (!JobType.IsKnown(type))
        {
            return Problems.NotFound($"No queue '{type}'.");
        }

        var settings = await grains.GetGrain<IQueueGrain>(type).SetPausedAsync(paused);
        var counts = await grains.GetGrain<IJobRegistryGrain>(type).CountAsync(null);
        return TypedResults.Ok(new QueueResponse(type, settings.Paused, settings.Concurrency, StatusCountsResponse.From(counts)));
    }
}
