using System.Security.Claims;
using System.Text.Json;
using Jobs.Api.Auth;
using Jobs.Api.Hosting;
using Jobs.Api.Http;
using Jobs.Bulk;
using Jobs.Engine;
using Jobs.Handlers;

namespace Jobs.Api.Endpoints;

public static class BulkEndpoints
{
    private const long MaxBodyBytes = 16 * 1024;

    /// <summary>A bulk job over millions of jobs takes a while; it saves its place, so each attempt carries on.</summary>
    private static readonly TimeSpan BulkTimeout = TimeSpan.FromHours(24);

    public static IEndpointRouteBuilder MapBulkEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/bulk", CreateAsync).WithName("CreateBulkJob").WithTags("Jobs")
            .RequireAuthorization(JobsPolicies.Caller).WithCallerProblems()
            .WithSummary("Retries, cancels or deletes every job matching a filter, as a job of type bulk.")
            .WithDescription(
                "Answers 202 with the bulk job at once; follow it like any job (GET /api/jobs/{id}, its events and "
                + "logs). It acts on the jobs that match when it starts, in pages of 500, reporting progress, and "
                + "carries on from its last page if its silo dies. Jobs already in another state are skipped: "
                + "retry acts on failed jobs, cancel on unfinished ones, delete on all but active ones. A tenant key "
                + "acts on its own tenant's jobs only.")
            .Accepts<BulkRequest>("application/json")
            .Produces<JobResponse>(StatusCodes.Status202Accepted)
            .WithValidationProblems().WithProblems(StatusCodes.Status413PayloadTooLarge);
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var (body, problem) = await JsonBody.ReadAsync<BulkRequest>(request, MaxBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        var filter = body!.Filter ?? new BulkFilterRequest();
        var empty = filter == new BulkFilterRequest();
        if (!user.IsOperator())
        {
            if (filter.Tenant is not null && filter.Tenant != user.TenantOf())
            {
                return Problems.Validation("filter.tenant", "a tenant key acts on its own tenant's jobs only");
            }

            filter = filter with { Tenant = user.TenantOf() };
        }

        var validation = PayloadValidation.Valid;
        var payload = BulkPayload.Read(JsonSerializer.SerializeToElement(body with { Filter = filter }, ApiJson.Options), validation);
        if (payload is null)
        {
            return Problems.Validation(validation.ToDictionary().ToDictionary(
                pair => pair.Key.StartsWith("payload.", StringComparison.Ordinal) ? pair.Key["payload.".Length..] : pair.Key,
                pair => pair.Value,
                StringComparer.Ordinal));
        }

        if (empty)
        {
            // Every job of every type and tenant is never what a request means by leaving the filter out.
            return Problems.Validation(
                "filter", "name at least one of type, status, tenant, from and to: an empty filter would match every job");
        }

        var id = JobIds.New();
        var spec = new JobSpec
        {
            Type = JobType.Bulk,
            Tenant = user.TenantOf(),
            Payload = payload.ToJson(),
            Attempts = 5,
            Timeout = BulkTimeout,
        };
        var created = await grains.GetGrain<IJobGrain>(id).CreateAsync(spec, freshId: true);
        return created.IsValid
            ? TypedResults.Accepted($"/api/jobs/{id}", JobResponse.From(created.Job!))
            : Problems.Validation(created.Errors!.ToDictionary());
    }
}

/// <summary>The body of <c>POST /api/bulk</c>.</summary>
public sealed record BulkRequest
{
    /// <summary><c>retry</c>, <c>cancel</c> or <c>delete</c>.</summary>
    public string? Action { get; init; }

    public BulkFilterRequest? Filter { get; init; }
}

/// <summary>Which jobs to act on; every field is optional. Times filter on creation time; <c>to</c> is exclusive.</summary>
public sealed record BulkFilterRequest
{
    /// <summary>A job type other than bulk; all types when absent.</summary>
    public string? Type { get; init; }

    /// <summary>wait, delayed, active, completed or failed.</summary>
    public string? Status { get; init; }

    /// <summary>Operators only; a tenant key always acts on its own tenant.</summary>
    public string? Tenant { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }
}
