using System.Security.Claims;
using Jobs.Api.Auth;
using Jobs.Api.Http;

namespace Jobs.Api.Endpoints;

public static class QueueEndpoints
{
    private const long MaxSettingsBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapQueueEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var queues = endpoints.MapGroup("/api/queues").WithTags("Queues").WithCallerProblems();
        queues.MapGet("/", ListAsync).RequireAuthorization(JobsPolicies.Caller).WithName("ListQueues")
            .WithSummary("Every job type's queue: paused or not, per-silo concurrency, and job counts per status.")
            .WithDescription("A tenant key sees the counts of its own tenant's jobs; an operator key sees all.")
            .Produces<QueueResponse[]>();
        queues.MapPost("/{type}/pause", (string type, IGrainFactory grains) => SetPausedAsync(type, true, grains))
            .RequireAuthorization(JobsPolicies.Operator).WithName("PauseQueue").WithProblems(StatusCodes.Status403Forbidden)
            .WithSummary("Stops starting jobs of this type on every silo; active ones finish, the rest wait.")
            .Produces<QueueResponse>().WithProblems(StatusCodes.Status404NotFound);
        queues.MapPost("/{type}/resume", (string type, IGrainFactory grains) => SetPausedAsync(type, false, grains))
            .RequireAuthorization(JobsPolicies.Operator).WithName("ResumeQueue").WithProblems(StatusCodes.Status403Forbidden)
            .WithSummary("Starts jobs of this type again.")
            .Produces<QueueResponse>().WithProblems(StatusCodes.Status404NotFound);
        queues.MapGet("/{type}/settings", GetSettingsAsync)
            .RequireAuthorization(JobsPolicies.Operator).WithName("GetQueueSettings").WithProblems(StatusCodes.Status403Forbidden)
            .WithSummary("A queue's settings: concurrency, default attempts, backoff and timeout, and retention.")
            .Produces<QueueSettingsResponse>().WithProblems(StatusCodes.Status404NotFound);
        queues.MapPut("/{type}/settings", UpdateSettingsAsync)
            .RequireAuthorization(JobsPolicies.Operator).WithName("UpdateQueueSettings").WithProblems(StatusCodes.Status403Forbidden)
            .WithSummary("Changes a queue's settings at run time, on every silo, without a restart.")
            .WithDescription(
                "Fields left out keep their current values; the body of a GET may be sent back changed (its version makes the "
                + "change conditional: 409 if the settings moved on meanwhile). Concurrency is per silo. Defaults apply to jobs created "
                + "afterwards that set no value of their own. Retention deletes completed and failed jobs older than "
                + "maxAgeMs, and the oldest beyond maxCount, in the background about once a minute; unfinished jobs "
                + "are never removed.")
            .Accepts<UpdateQueueSettingsRequest>("application/json")
            .Produces<QueueSettingsResponse>()
            .WithValidationProblems()
            .WithProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge);
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
            return NoQueue(type);
        }

        var settings = await grains.GetGrain<IQueueGrain>(type).SetPausedAsync(paused);
        var counts = await grains.GetGrain<IJobRegistryGrain>(type).CountAsync(null);
        return TypedResults.Ok(new QueueResponse(type, settings.Paused, settings.Concurrency, StatusCountsResponse.From(counts)));
    }

    private static async Task<IResult> GetSettingsAsync(string type, IGrainFactory grains)
    {
        if (!JobType.IsKnown(type))
        {
            return NoQueue(type);
        }

        var settings = await grains.GetGrain<IQueueGrain>(type).GetSettingsAsync();
        return TypedResults.Ok(QueueSettingsResponse.From(type, settings));
    }

    private static async Task<IResult> UpdateSettingsAsync(string type, HttpRequest request, IGrainFactory grains)
    {
        if (!JobType.IsKnown(type))
        {
            return NoQueue(type);
        }

        var (body, problem) = await JsonBody.ReadAsync<UpdateQueueSettingsRequest>(request, MaxSettingsBytes);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Type is { } named && named != type)
        {
            return Problems.Validation("type", $"names queue '{(named.Length <= 40 ? named : named[..40] + "…")}', not '{type}' of the route");
        }

        if (body.Version is < 0)
        {
            return Problems.Validation("version", "must be a version a GET of these settings returned");
        }

        var queue = grains.GetGrain<IQueueGrain>(type);
        var current = await queue.GetSettingsAsync();
        if (body.Version is { } version && version != current.Version)
        {
            return Problems.Conflict(
                $"the settings changed since version {version} was read (now {current.Version}); read them again",
                "Settings changed meanwhile");
        }

        var changed = QueueSettingsValidator.Apply(body, current, out var errors);
        if (changed is null)
        {
            return Problems.Validation(errors);
        }

        // A PUT that changes nothing leaves the version alone, so holders of the last GET can still write.
        var stored = changed == current ? current : await queue.UpdateSettingsAsync(changed);
        return TypedResults.Ok(QueueSettingsResponse.From(type, stored));
    }

    private static IResult NoQueue(string type) =>
        Problems.NotFound($"No queue '{(type.Length <= 40 ? type : type[..40] + "…")}': one of {string.Join(", ", JobType.All)}.");
}
